using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Logging;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Peering;

/// <summary>
/// A pub/sub endpoint: listens and dials TCP peerings, publishes to local subscribers, peers and
/// attached clients through each one's own bounded send buffer, and reports per-peering statistics.
/// The publish path reads an immutable snapshot of subscribers and takes only each buffer's own lock.
/// </summary>
/// <remarks>
/// The endpoint wires the parts together: <see cref="SubscriberRegistry"/> knows who receives what,
/// <see cref="PeerHandshake"/> turns a connection into a peering, each <see cref="PeerConnection"/> and
/// client session sees the endpoint only through <see cref="IPeerHost"/> or <see cref="IClientHost"/>.
/// </remarks>
public sealed class SpillwayEndpoint : IAsyncDisposable, IPeerHost, IClientHost
{
    private readonly ILogger _logger;
    private readonly CoarseClock _clock;
    private readonly EventDispatcher _events;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly SubscriberRegistry _registry = new();
    private readonly PeerHandshake _handshake;
    private readonly ConnectionBudget _connectionBudget;
    private readonly RateLimitedLog _strangerWarnings;

    // Connection management: dialers and listeners, under their own lock.
    private readonly Lock _connectionsLock = new();
    private readonly Dictionary<(string Host, int Port), PeerDialer> _dialers = new();
    private readonly List<Socket> _listeners = new();

    private readonly Lock _statsLock = new();
    private readonly PeeringStatsTable _statsTable = new();

    /// <summary>Creates an endpoint with a new random id; <paramref name="options"/> are validated here.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public SpillwayEndpoint(EndpointOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new EndpointOptions();
        Options.Validate();
        TimeProvider = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Spillway.Endpoint");
        _clock = new CoarseClock(TimeProvider);
        _events = new EventDispatcher(_logger);
        Id = EndpointId.NewRandom();
        _handshake = new PeerHandshake(Id, Options, TimeProvider);
        _connectionBudget = new ConnectionBudget(Options.MaxConnections, Options.MaxConnectionsPerAddress);
        _strangerWarnings = new RateLimitedLog(_logger, TimeProvider);
        ClientConnections = new ConnectionBudget(Options.WebSocketMaxConnections, Options.WebSocketMaxConnectionsPerAddress, "WebSocket connections");
    }

    /// <summary>This endpoint's id, random and new on every start.</summary>
    public EndpointId Id { get; }
    /// <summary>The validated settings.</summary>
    public EndpointOptions Options { get; }
    /// <summary>The clock of timeouts, retries and the stats window.</summary>
    public TimeProvider TimeProvider { get; }

    int IPeerHost.InboundMessagesPerSecond => Options.InboundMessagesPerSecond;
    int IPeerHost.DrainBatchSize => Options.DrainBatchSize;
    TimeSpan IPeerHost.HeartbeatInterval => Options.HeartbeatInterval;
    TimeSpan IPeerHost.HeartbeatTimeout => Options.HeartbeatTimeout;
    TimeSpan IPeerHost.FrameReadTimeout => Options.FrameReadTimeout;
    int IPeerHost.MaxSubscriptions => Options.MaxSubscriptions;

    /// <summary>Connections, peerings and clients refused or closed for exceeding a budget, per reason, since start.</summary>
    public RefusalCounters Refusals { get; } = new();

    /// <summary>Inbound connections held now (handshaking or peered), as counted against <see cref="EndpointOptions.MaxConnections"/>.</summary>
    public int InboundConnections => _connectionBudget.Count;

    /// <summary>WebSocket clients held now (upgrading or attached), as counted against <see cref="EndpointOptions.WebSocketMaxConnections"/>.</summary>
    public int WebSocketConnections => ClientConnections.Count;

    /// <summary>The WebSocket gateway's admission budget (<see cref="EndpointOptions.WebSocketMaxConnections"/>), kept here so it is one per node.</summary>
    internal ConnectionBudget ClientConnections { get; }

    /// <summary>Counts a refusal made outside the engine (the WebSocket gateway's admission).</summary>
    internal void CountRefusal(RefusalReason reason) => Refusals.Increment(reason);

    /// <summary>A peering completed its hello exchange and is live.</summary>
    public event EventHandler<PeerEventArgs>? PeerAdded;
    /// <summary>A live peering's connection broke or the remote closed it (<see cref="CloseReason.ConnectionLost"/>).</summary>
    public event EventHandler<PeerEventArgs>? PeerLost;
    /// <summary>This endpoint tore a live peering down; <see cref="PeerEventArgs.Reason"/> says why.</summary>
    public event EventHandler<PeerEventArgs>? PeerRemoved;
    /// <summary>
    /// A client session ended, for whatever reason; <see cref="PeerEventArgs.FinalStats"/> holds its counts at the end,
    /// so a consumer can keep per-application totals exact past the client's departure.
    /// </summary>
    public event EventHandler<PeerEventArgs>? ClientLeft;

    /// <summary>The live peerings (not clients).</summary>
    public IReadOnlyList<PeerInfo> Peers =>
        _registry.Subscribers.Where(s => s.Kind == SubscriberKind.Peer).Select(s => s.Info).ToArray();

    /// <summary>The topic prefixes this endpoint announces to its peers (local and client subscriptions).</summary>
    public IReadOnlyList<string> AnnouncedSubscriptions => _registry.Announced;

    // ---- Listening and dialing -------------------------------------------------------------------

    /// <summary>Accepts peerings on <paramref name="address"/>:<paramref name="port"/> (0 = any free port); returns the bound port.</summary>
    public int Listen(IPAddress address, int port)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        lock (_connectionsLock) _listeners.Add(listener);
        var bound = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _logger.LogInformation("Listening for peers on {Address}:{Port}", address, bound);
        _ = Task.Run(() => AcceptLoopAsync(listener));
        return bound;
    }

    /// <summary>Like <see cref="Listen(IPAddress, int)"/> with the address in text form.</summary>
    public int Listen(string address, int port) => Listen(IPAddress.Parse(address), port);

    /// <summary>Starts peering with <paramref name="host"/>:<paramref name="port"/>; keeps re-peering until <see cref="Unpeer(string,int)"/>.</summary>
    public void Peer(string host, int port)
    {
        PeerDialer dialer;
        lock (_connectionsLock)
        {
            ObjectDisposedException.ThrowIf(_shutdown.IsCancellationRequested, this);
            if (_dialers.ContainsKey((host, port))) return;
            dialer = new PeerDialer(this, host, port, _logger);
            _dialers.Add((host, port), dialer);
        }
        _logger.LogInformation("Peering with {Host}:{Port}", host, port);
        dialer.Start();
    }

    /// <summary>Stops peering with a host and port given to <see cref="Peer"/>; returns false if there was none.</summary>
    public bool Unpeer(string host, int port)
    {
        PeerDialer? dialer;
        lock (_connectionsLock)
        {
            if (!_dialers.Remove((host, port), out dialer)) return false;
        }
        dialer.Stop(CloseReason.Unpeered, "unpeered");
        return true;
    }

    /// <summary>Removes the live peering with <paramref name="peer"/> (either direction); an initiated one will be re-dialed.</summary>
    public bool Unpeer(EndpointId peer) => Unpeer(peer, CloseReason.Unpeered, "unpeered");

    /// <summary>Like <see cref="Unpeer(EndpointId)"/>, with the typed reason and the detail the removal is reported and logged with.</summary>
    public bool Unpeer(EndpointId peer, CloseReason reason, string detail)
    {
        if (!TryGetConnection(peer, out var connection)) return false;
        connection.Close(reason, detail);
        return true;
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_shutdown.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_shutdown.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _shutdown.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                _logger.LogWarning("Accepting a connection failed: {Reason}", e.Message);
                continue;
            }
            var remote = FormatAddress(socket.RemoteEndPoint);
            var address = (socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
            if (!_connectionBudget.TryAcquire(address, out var refusal))
            {
                // Refused before any byte is read: the cheapest answer to a flood.
                Refusals.Increment(refusal);
                socket.Dispose();
                _strangerWarnings.Warn(refusal.ToLabel(), "Refused connection from {Remote}: {Reason}", remote, _connectionBudget.Describe(refusal));
                continue;
            }
            _ = Task.Run(async () =>
            {
                try
                {
                    var peer = await ConnectAsync(socket, PeeringDirection.Accepted, _shutdown.Token).ConfigureAwait(false);
                    await peer.Closed.ConfigureAwait(false);
                }
                catch (Exception e) when (!_shutdown.IsCancellationRequested)
                {
                    // Anyone can connect: these warnings are rate-limited per kind so a flood cannot flood the log.
                    var kind = e is BudgetExceededException budget ? budget.Reason.ToLabel() : "handshake failed";
                    _strangerWarnings.Warn(kind, "Rejected connection from {Remote}: {Reason}", remote, e.Message);
                }
                catch (Exception)
                {
                    // Shutting down: nothing to report.
                }
                finally
                {
                    _connectionBudget.Release(address);
                }
            });
        }
    }

    /// <summary>
    /// Runs the handshake on a fresh connection and registers the peering. Throws, with the socket closed,
    /// when the handshake fails or times out, or the remote is this endpoint or already peered.
    /// </summary>
    internal async Task<PeerConnection> ConnectAsync(Socket socket, PeeringDirection direction, CancellationToken cancellationToken,
        string? targetHost = null)
    {
        Stream? stream = null;
        try
        {
            var remoteAddress = FormatAddress(socket.RemoteEndPoint);
            var versionSent = 0;
            var (connected, reader, remote, identity) = await _handshake.RunAsync(socket, direction, targetHost, () =>
            {
                (versionSent, var announced) = _registry.ReadAnnouncement();
                return FrameCodec.EncodeHello(Id, announced);
            }, cancellationToken).ConfigureAwait(false);
            stream = connected;

            var info = new PeerInfo(remote.EndpointId, remoteAddress, direction, identity);
            var buffer = new SendBuffer<object>(Options.PeerBufferSize, Options.PeerOverflowPolicy, _clock, Options.StatsResetInterval,
                Options.PeerBufferBytes, QueuedFrame.LengthOf, ItemSizes.ReadAgain);
            var peer = new PeerConnection(this, socket, stream, reader, info, buffer, remote.Subscriptions, _logger);
            if (!_registry.TryAddPeer(peer, versionSent, out var catchUp))
                throw new PeerHandshakeException(CloseReason.HandshakeRefused, $"already peered with endpoint {remote.EndpointId}");
            if (catchUp is not null) peer.SendControl(FrameCodec.EncodeSubscriptions(catchUp));
            _logger.LogInformation("Peered with {Peer} ({Direction})", info, direction == PeeringDirection.Initiated ? "we dialed" : "they dialed");
            _events.Raise(PeerAdded, this, new PeerEventArgs(info, null, null));
            peer.Start();
            return peer;
        }
        catch (Exception e)
        {
            if (e is BudgetExceededException budget) Refusals.Increment(budget.Reason);
            stream?.Dispose();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Renders a socket address the way an operator writes it: IPv4-mapped IPv6 shown as plain IPv4.</summary>
    internal static string FormatAddress(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip => new IPEndPoint(ip.Address.MapToIPv4(), ip.Port).ToString(),
        null => "unknown address",
        _ => endPoint.ToString() ?? "unknown address",
    };

    void IPeerHost.OnBudgetExceeded(PeerConnection peer, RefusalReason reason, string detail)
    {
        Refusals.Increment(reason);
        _logger.LogWarning("Peer {Peer} exceeded a budget ({Reason}): {Detail}", peer.Info, reason.ToLabel(), detail);
    }

    void IPeerHost.OnPeerClosed(PeerConnection peer, CloseReason reason, string detail, int discarded)
    {
        _registry.Remove(peer);
        var final = peer.ReadStats(_clock.Refresh());
        // Lost: the connection broke or went silent; removed: this side tore it down.
        if (reason is CloseReason.ConnectionLost or CloseReason.HeartbeatTimeout)
        {
            _logger.LogInformation("Lost peering with {Peer}: {Reason}", peer.Info, detail);
            _events.Raise(PeerLost, this, new PeerEventArgs(peer.Info, reason, detail, final) { DiscardedMessages = discarded });
        }
        else
        {
            _logger.LogInformation("Removed peering with {Peer} due to {Reason}", peer.Info, detail);
            _events.Raise(PeerRemoved, this, new PeerEventArgs(peer.Info, reason, detail, final) { DiscardedMessages = discarded });
        }
    }

    /// <summary>
    /// Sends the live peering with <paramref name="peer"/> a heartbeat now: if the remote host has reset the
    /// connection (its process died), the write fails and the peering is reported lost at once instead of
    /// at the next heartbeat. Returns false when there is no such peering. The naming layer calls it when a
    /// name is claimed while its holder still looks alive.
    /// </summary>
    public bool ProbePeer(EndpointId peer)
    {
        if (!TryGetConnection(peer, out var peering)) return false;
        peering.Liveness.Probe();
        return true;
    }

    /// <summary>
    /// Sends one message to the live peering with <paramref name="peer"/> only, on its control queue: ahead of
    /// its send buffer and never dropped by the overflow policy. For rare protocol messages (the naming layer's
    /// hellos) that must not wait behind, or be dropped with, a backlog of data. Returns false when there is no
    /// such peering. The remote delivers it like any published message.
    /// </summary>
    public bool SendDirect(EndpointId peer, string topic, Value value)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(value);
        if (!TryGetConnection(peer, out var peering)) return false;
        peering.SendControl(FrameCodec.EncodeData(topic, value));
        return true;
    }

    /// <summary>Heartbeat frames received so far on the live peering with <paramref name="peer"/>; -1 if none.</summary>
    internal long HeartbeatsReceivedFrom(EndpointId peer)
    {
        return TryGetConnection(peer, out var p) ? p.Liveness.HeartbeatsReceived : -1;
    }

    /// <summary>How many clients a message from a peer is offered to now (whether their prefixes match or not); for tests.</summary>
    internal int ClientsOfferedPeerMessages => _registry.Clients.Length;

    /// <summary>The live peering (not client) with <paramref name="peer"/>, if there is one now.</summary>
    internal bool TryGetConnection(EndpointId peer, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PeerConnection? connection)
    {
        connection = _registry.TryGet(peer, out var subscriber) ? subscriber as PeerConnection : null;
        return connection is not null;
    }

    // ---- Clients ---------------------------------------------------------------------------------

    /// <summary>Attaches an external client (e.g. a WebSocket connection) with its own buffer and an ephemeral id.</summary>
    /// <exception cref="ObjectDisposedException">The endpoint is shutting down.</exception>
    /// <exception cref="BudgetExceededException">More subscriptions than <see cref="EndpointOptions.MaxSubscriptions"/>, or more than
    /// <see cref="EndpointOptions.MaxLocalSubscriptions"/> announced with the client's added (counted as a refusal).</exception>
    public ClientSession AttachClient(string remoteAddress, IReadOnlyList<string> subscriptions) =>
        AttachClient(remoteAddress, subscriptions, application: null);

    /// <summary>
    /// Attaches an external client as <see cref="AttachClient(string, IReadOnlyList{string})"/>, recording the
    /// application it named itself with (<see cref="PeerInfo.Application"/>; the transport validates it).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The endpoint is shutting down.</exception>
    /// <exception cref="BudgetExceededException">More subscriptions than <see cref="EndpointOptions.MaxSubscriptions"/>, or more than
    /// <see cref="EndpointOptions.MaxLocalSubscriptions"/> announced with the client's added (counted as a refusal).</exception>
    public ClientSession AttachClient(string remoteAddress, IReadOnlyList<string> subscriptions, string? application)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count > Options.MaxSubscriptions)
        {
            Refusals.Increment(RefusalReason.Subscriptions);
            throw new BudgetExceededException(RefusalReason.Subscriptions,
                $"subscribes to {subscriptions.Count} topic prefixes, more than the maximum of {Options.MaxSubscriptions}");
        }
        var info = new PeerInfo(EndpointId.NewRandom(), remoteAddress, PeeringDirection.Accepted) { Application = application };
        var buffer = new SendBuffer<ClientMessage>(Options.WebSocketBufferSize, Options.WebSocketOverflowPolicy, _clock, Options.StatsResetInterval,
            Options.WebSocketBufferBytes, ClientMessageWeight.Of);
        var client = new ClientSubscriber(this, info, buffer, subscriptions);
        if (!_registry.TryAddClient(client, Options.MaxLocalSubscriptions, out var announced))
        {
            Refusals.Increment(RefusalReason.Subscriptions);
            throw new BudgetExceededException(RefusalReason.Subscriptions,
                $"with its {subscriptions.Count} topic prefixes the node would announce {announced}, over its maximum of {Options.MaxLocalSubscriptions}");
        }
        AnnounceSubscriptions();
        // Debug only: the transport that attached the client writes the operator's line (one per event, rate-limited).
        _logger.LogDebug("Client {Client} connected from {Remote}, subscribed to {Count} topic prefixes",
            info.EndpointId, remoteAddress, subscriptions.Count);
        return new ClientSession(client);
    }

    void IClientHost.OnClientClosed(ClientSubscriber client, string detail)
    {
        // Under the stats lock, so no scrape reads the client's row after its final stats are taken: ClientLeft carries its last counts.
        PeeringStats final;
        lock (_statsLock)
        {
            _registry.Remove(client);
            final = client.ReadStats(_clock.Refresh());
        }
        _events.Raise(ClientLeft, this, new PeerEventArgs(client.Info, client.CloseReason, detail, final));
        AnnounceSubscriptions();
        _logger.LogDebug("Client {Client} ({Remote}) left: {Reason}", client.Id, client.Info.RemoteAddress, detail);
    }

    // ---- Pub/sub ---------------------------------------------------------------------------------

    /// <summary>Delivers <paramref name="handler"/> every message, local or from a peer, whose topic starts with <paramref name="prefix"/>.</summary>
    /// <returns>Dispose it to unsubscribe.</returns>
    public IDisposable Subscribe(string prefix, Action<string, Value> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Subscribe(prefix, (topic, value, _) => handler(topic, value));
    }

    /// <summary>
    /// Like <see cref="Subscribe(string, Action{string, Value})"/>, and also tells the handler which peer
    /// the message arrived from (null for a publish on this endpoint or by one of its clients).
    /// </summary>
    /// <returns>Dispose it to unsubscribe.</returns>
    public IDisposable Subscribe(string prefix, Action<string, Value, EndpointId?> handler)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new LocalSubscription(this, prefix, handler);
        _registry.AddLocal([subscription]);
        AnnounceSubscriptions();
        return subscription;
    }

    /// <summary>Subscribes <paramref name="handler"/> to many prefixes with one index rebuild (benchmarks set up 100,000 this way).</summary>
    internal IDisposable[] Subscribe(IReadOnlyList<string> prefixes, Action<string, Value, EndpointId?> handler)
    {
        var subscriptions = prefixes.Select(p => new LocalSubscription(this, p, handler)).ToArray();
        _registry.AddLocal(subscriptions);
        AnnounceSubscriptions();
        return subscriptions;
    }

    internal void Unsubscribe(LocalSubscription subscription)
    {
        _registry.RemoveLocal(subscription);
        AnnounceSubscriptions();
    }

    /// <summary>Recomputes the announced prefix set and sends it to every peer when it changed.</summary>
    private void AnnounceSubscriptions()
    {
        if (!_registry.TryUpdateAnnouncement(out var announced, out var subscribers)) return;
        var frame = FrameCodec.EncodeSubscriptions(announced);
        foreach (var s in subscribers)
            if (s is PeerConnection p) p.SendControl(frame);
    }

    /// <summary>
    /// Publishes to local subscribers and queues the message in the buffer of every peer and client whose
    /// subscriptions match (peers share one queued message). Returns the number of buffers it was offered to.
    /// </summary>
    public int Publish(string topic, Value value) => Publish(topic, value, origin: null);

    int IClientHost.Publish(string topic, Value value, RemoteSubscriber origin) => Publish(topic, value, origin);

    private int Publish(string topic, Value value, RemoteSubscriber? origin)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(value);
        DeliverLocally(topic, value, null);
        var encoding = new PublishEncoding(topic, value);
        var offered = 0;
        var match = new RunMatch(topic);
        foreach (var subscriber in _registry.Subscribers)
        {
            if (ReferenceEquals(subscriber, origin) || !match.Matches(subscriber.Matcher)) continue;
            subscriber.Offer(topic, value, null, ref encoding);
            offered++;
        }
        return offered;
    }

    /// <summary>A data frame arrived from a peer: local subscribers and matching clients get it; peers do not (no forwarding).</summary>
    void IPeerHost.DeliverFromPeer(PeerConnection from, ReadOnlySpan<byte> body)
    {
        var (topic, value) = FrameCodec.DecodeData(body, from.ReceivedTopics);
        DeliverLocally(topic, value, from.Id);
        var unused = new PublishEncoding(topic, value); // only clients are offered it: they queue the message
        var match = new RunMatch(topic);
        foreach (var client in _registry.Clients)
        {
            if (match.Matches(client.Matcher)) client.Offer(topic, value, from.Id, ref unused);
        }
    }

    private void DeliverLocally(string topic, Value value, EndpointId? origin)
    {
        // One walk of the topic down the prefix index, whatever the number of subscriptions.
        foreach (var group in _registry.LocalSubscriptions.Match(topic))
        {
            foreach (var local in group)
            {
                try { local.Handler(topic, value, origin); }
                catch (Exception e) { _logger.LogError(e, "A subscriber of {Prefix} failed on a message for {Topic}", local.Prefix, topic); }
            }
        }
    }

    // ---- Statistics ------------------------------------------------------------------------------

    /// <summary>
    /// The per-peering (and per-client) statistics, keyed by remote endpoint id, with the window rule
    /// applied at this moment. The returned table is refilled in place by the next call, so one reader
    /// (the metrics scrape) should own it; concurrent callers must copy what they need under their own lock.
    /// </summary>
    public PeeringStatsTable GetPeeringStats()
    {
        lock (_statsLock)
        {
            var now = _clock.Refresh();
            _statsTable.BeginRefresh();
            foreach (var subscriber in _registry.Subscribers) _statsTable.Set(subscriber.ReadStats(now));
            _statsTable.EndRefresh();
            return _statsTable;
        }
    }

    /// <summary>
    /// The statistics of one peering or client, read now. Unlike <see cref="GetPeeringStats"/> this is safe
    /// to call from any number of threads at once; use it for point lookups, the table for scrapes.
    /// </summary>
    public bool TryGetPeeringStats(EndpointId id, out PeeringStats stats)
    {
        var found = _registry.TryGet(id, out var subscriber);
        stats = found ? subscriber!.ReadStats(_clock.Refresh()) : default;
        return found;
    }

    /// <summary>The live peering (not client) with <paramref name="id"/>, if there is one now.</summary>
    public bool TryGetPeer(EndpointId id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PeerInfo? peer)
    {
        peer = TryGetConnection(id, out var connection) ? connection.Info : null;
        return peer is not null;
    }

    // ---- Shutdown --------------------------------------------------------------------------------

    /// <summary>Stops listening and dialing, closes every peering and client (<see cref="CloseReason.Shutdown"/>), then drains the event queue.</summary>
    public async ValueTask DisposeAsync()
    {
        PeerDialer[] dialers;
        Socket[] listeners;
        lock (_connectionsLock)
        {
            if (_shutdown.IsCancellationRequested) return;
            _shutdown.Cancel();
            dialers = _dialers.Values.ToArray();
            _dialers.Clear();
            listeners = _listeners.ToArray();
            _listeners.Clear();
        }
        var subscribers = _registry.Close();
        foreach (var listener in listeners) listener.Dispose();
        foreach (var dialer in dialers) dialer.Stop(CloseReason.Shutdown, "endpoint shutting down");
        foreach (var subscriber in subscribers) subscriber.Close(CloseReason.Shutdown, "endpoint shutting down");
        await _events.CompleteAsync().ConfigureAwait(false);
        _clock.Dispose();
    }
}
