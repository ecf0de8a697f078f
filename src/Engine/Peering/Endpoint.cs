using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Peering;

/// <summary>
/// A pub/sub endpoint: listens and dials TCP peerings, publishes to local subscribers, peers and
/// attached clients through each one's own bounded send buffer, and reports per-peering statistics.
/// The publish path reads an immutable snapshot of subscribers and takes only each buffer's own lock.
/// </summary>
public sealed class Endpoint : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly CoarseClock _clock;
    private readonly EventDispatcher _events;
    private readonly CancellationTokenSource _shutdown = new();

    // Registry state: mutated under _registryLock, read lock-free through the volatile snapshots.
    private readonly Lock _registryLock = new();
    private volatile RemoteSubscriber[] _subscribers = [];
    private volatile LocalSubscription[] _localSubscriptions = [];
    private readonly Dictionary<EndpointId, RemoteSubscriber> _byId = new();
    private readonly Dictionary<(string Host, int Port), PeerDialer> _dialers = new();
    private readonly List<Socket> _listeners = new();
    private string[] _announcedSubscriptions = [];
    private int _subscriptionsVersion;
    private long _departedClientOverflows;

    private readonly Lock _statsLock = new();
    private readonly PeeringStatsTable _statsTable = new();

    public Endpoint(EndpointOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new EndpointOptions();
        Options.Validate();
        TimeProvider = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Spillway.Endpoint");
        _clock = new CoarseClock(TimeProvider);
        _events = new EventDispatcher(_logger);
        Id = EndpointId.NewRandom();
    }

    public EndpointId Id { get; }
    public EndpointOptions Options { get; }
    public TimeProvider TimeProvider { get; }

    /// <summary>A peering completed its hello exchange and is live.</summary>
    public event EventHandler<PeerEventArgs>? PeerAdded;
    /// <summary>A live peering's connection broke or the remote closed it.</summary>
    public event EventHandler<PeerEventArgs>? PeerLost;
    /// <summary>This endpoint tore a live peering down; <see cref="PeerEventArgs.Reason"/> says why.</summary>
    public event EventHandler<PeerEventArgs>? PeerRemoved;

    /// <summary>The live peerings (not clients).</summary>
    public IReadOnlyList<PeerInfo> Peers =>
        _subscribers.Where(s => s.Kind == SubscriberKind.Peer).Select(s => s.Info).ToArray();

    /// <summary>The topic prefixes this endpoint announces to its peers (local and client subscriptions).</summary>
    public IReadOnlyList<string> AnnouncedSubscriptions { get { lock (_registryLock) return _announcedSubscriptions; } }

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
        lock (_registryLock) _listeners.Add(listener);
        var bound = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _logger.LogInformation("Listening for peers on {Address}:{Port}", address, bound);
        _ = Task.Run(() => AcceptLoopAsync(listener));
        return bound;
    }

    public int Listen(string address, int port) => Listen(IPAddress.Parse(address), port);

    /// <summary>Starts peering with <paramref name="host"/>:<paramref name="port"/>; keeps re-peering until <see cref="Unpeer(string,int)"/>.</summary>
    public void Peer(string host, int port)
    {
        PeerDialer dialer;
        lock (_registryLock)
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
        lock (_registryLock)
        {
            if (!_dialers.Remove((host, port), out dialer)) return false;
        }
        dialer.Stop("unpeered", CloseReason.Unpeered);
        return true;
    }

    /// <summary>Removes the live peering with <paramref name="peer"/> (either direction); an initiated one will be re-dialed.</summary>
    public bool Unpeer(EndpointId peer)
    {
        RemoteSubscriber? subscriber;
        lock (_registryLock) _byId.TryGetValue(peer, out subscriber);
        if (subscriber is not Peering peering) return false;
        peering.Close(PeerCloseKind.Removed, "unpeered", CloseReason.Unpeered);
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
            _ = Task.Run(async () =>
            {
                var remote = FormatAddress(socket.RemoteEndPoint);
                try
                {
                    await HandshakeAsync(socket, PeeringDirection.Accepted, _shutdown.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (!_shutdown.IsCancellationRequested)
                {
                    _logger.LogWarning("Rejected connection from {Remote}: {Reason}", remote, e.Message);
                }
                catch (Exception)
                {
                    // Shutting down: nothing to report.
                }
            });
        }
    }

    /// <summary>
    /// Exchanges hellos on a fresh connection and registers the peering. Throws, with the socket closed,
    /// when the handshake fails or times out, or the remote is this endpoint or already peered.
    /// </summary>
    internal async Task<Peering> HandshakeAsync(Socket socket, PeeringDirection direction, CancellationToken cancellationToken)
    {
        try
        {
            socket.NoDelay = true;
            if (Options.SocketBufferSize > 0)
            {
                socket.SendBufferSize = Options.SocketBufferSize;
                // Never pin the receive buffer below a few segments: a receive window smaller than one
                // segment (64 KiB on loopback) leaves TCP in zero-window probing with exponential backoff,
                // and the peering stalls for seconds at a time.
                socket.ReceiveBufferSize = Math.Max(Options.SocketBufferSize, EndpointOptions.MinimumReceiveBufferSize);
            }
            var remoteAddress = FormatAddress(socket.RemoteEndPoint);
            var reader = new SocketFrameReader(socket, Options.MaxFrameSize);
            int versionSent;
            byte[] hello;
            lock (_registryLock)
            {
                versionSent = _subscriptionsVersion;
                hello = FrameCodec.EncodeHello(Id, _announcedSubscriptions);
            }

            using var timeout = new CancellationTokenSource(Options.HandshakeTimeout, TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            HelloFrame remote;
            try
            {
                await socket.SendAsync(hello, SocketFlags.None, linked.Token).ConfigureAwait(false);
                remote = await ReadHelloAsync(reader, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"handshake not completed within {Options.HandshakeTimeout.TotalSeconds:0.###} s");
            }
            if (remote.EndpointId == Id) throw new InvalidOperationException("the remote is this endpoint itself");

            var info = new PeerInfo(remote.EndpointId, remoteAddress, direction);
            var buffer = new SendBuffer(Options.PeerBufferSize, Options.PeerOverflowPolicy, _clock, Options.StatsResetInterval);
            var peering = new Peering(this, socket, reader, info, buffer, remote.Subscriptions, _logger);
            string[]? catchUp = null;
            lock (_registryLock)
            {
                ObjectDisposedException.ThrowIf(_shutdown.IsCancellationRequested, this);
                if (_byId.ContainsKey(remote.EndpointId))
                    throw new InvalidOperationException($"already peered with endpoint {remote.EndpointId}");
                _byId.Add(remote.EndpointId, peering);
                _subscribers = [.. _subscribers, peering];
                if (_subscriptionsVersion != versionSent) catchUp = _announcedSubscriptions;
            }
            if (catchUp is not null) peering.SendControl(FrameCodec.EncodeSubscriptions(catchUp));
            _logger.LogInformation("Peered with {Peer} ({Direction})", info, direction == PeeringDirection.Initiated ? "we dialed" : "they dialed");
            _events.Raise(PeerAdded, this, new PeerEventArgs(info, null));
            peering.Start();
            return peering;
        }
        catch
        {
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

    private static async Task<HelloFrame> ReadHelloAsync(SocketFrameReader reader, CancellationToken token)
    {
        while (true)
        {
            if (TryTakeHello(reader, out var hello)) return hello!;
            if (!await reader.FillAsync(int.MaxValue, token).ConfigureAwait(false))
                throw new IOException("connection closed during the handshake");
        }
    }

    private static bool TryTakeHello(SocketFrameReader reader, out HelloFrame? hello)
    {
        hello = null;
        if (!reader.TryReadFrame(out var type, out var body, out _)) return false;
        if (type != FrameType.Hello) throw new WireFormatException($"expected a hello frame first, got frame type {(byte)type}");
        hello = FrameCodec.DecodeHello(body);
        return true;
    }

    internal void OnPeeringClosed(Peering peering, PeerCloseKind kind, string reason, CloseReason? code, int discarded)
    {
        Unregister(peering);
        var final = peering.ReadStats(_clock.Refresh());
        if (kind == PeerCloseKind.Lost)
        {
            _logger.LogInformation("Lost peering with {Peer}: {Reason}", peering.Info, reason);
            _events.Raise(PeerLost, this, new PeerEventArgs(peering.Info, reason, final) { CloseReason = code, DiscardedMessages = discarded });
        }
        else
        {
            _logger.LogInformation("Removed peering with {Peer} due to {Reason}", peering.Info, reason);
            _events.Raise(PeerRemoved, this, new PeerEventArgs(peering.Info, reason, final) { CloseReason = code, DiscardedMessages = discarded });
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
        RemoteSubscriber? subscriber;
        lock (_registryLock) _byId.TryGetValue(peer, out subscriber);
        if (subscriber is not Peering peering) return false;
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
        RemoteSubscriber? subscriber;
        lock (_registryLock) _byId.TryGetValue(peer, out subscriber);
        if (subscriber is not Peering peering) return false;
        peering.SendControl(FrameCodec.EncodeData(topic, value));
        return true;
    }

    /// <summary>Heartbeat frames received so far on the live peering with <paramref name="peer"/>; -1 if none.</summary>
    internal long HeartbeatsReceivedFrom(EndpointId peer)
    {
        lock (_registryLock)
            return _byId.TryGetValue(peer, out var s) && s is Peering p ? p.Liveness.HeartbeatsReceived : -1;
    }

    // ---- Clients ---------------------------------------------------------------------------------

    /// <summary>Attaches an external client (e.g. a WebSocket connection) with its own buffer and an ephemeral id.</summary>
    public ClientSession AttachClient(string remoteAddress, IReadOnlyList<string> subscriptions)
    {
        var info = new PeerInfo(EndpointId.NewRandom(), remoteAddress, PeeringDirection.Accepted);
        var buffer = new SendBuffer(Options.ClientBufferSize, Options.ClientOverflowPolicy, _clock, Options.StatsResetInterval);
        var session = new ClientSession(this, info, buffer, subscriptions);
        lock (_registryLock)
        {
            ObjectDisposedException.ThrowIf(_shutdown.IsCancellationRequested, this);
            _byId.Add(info.EndpointId, session);
            _subscribers = [.. _subscribers, session];
        }
        AnnounceSubscriptions();
        _logger.LogInformation("Client {Client} connected from {Remote}, subscribed to {Count} topic prefixes",
            info.EndpointId, remoteAddress, subscriptions.Count);
        return session;
    }

    /// <summary>Overflows of all clients that have left, so a total over every client ever connected stays exact.</summary>
    public long DepartedClientOverflows => Interlocked.Read(ref _departedClientOverflows);

    internal void OnClientClosed(ClientSession session, string reason)
    {
        // Under the stats lock, so a scrape sees this client either live or in the departed total, never neither.
        lock (_statsLock)
        {
            Unregister(session);
            Interlocked.Add(ref _departedClientOverflows, session.Buffer.GetStats().Overflows);
        }
        AnnounceSubscriptions();
        _logger.LogInformation("Client {Client} ({Remote}) left: {Reason}", session.Id, session.Info.RemoteAddress, reason);
    }

    private void Unregister(RemoteSubscriber subscriber)
    {
        lock (_registryLock)
        {
            if (_byId.TryGetValue(subscriber.Id, out var registered) && ReferenceEquals(registered, subscriber))
                _byId.Remove(subscriber.Id);
            _subscribers = _subscribers.Where(s => !ReferenceEquals(s, subscriber)).ToArray();
        }
    }

    // ---- Pub/sub ---------------------------------------------------------------------------------

    /// <summary>Delivers <paramref name="handler"/> every message, local or from a peer, whose topic starts with <paramref name="prefix"/>.</summary>
    public IDisposable Subscribe(string prefix, Action<string, Value> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Subscribe(prefix, (topic, value, _) => handler(topic, value));
    }

    /// <summary>
    /// Like <see cref="Subscribe(string, Action{string, Value})"/>, and also tells the handler which peer
    /// the message arrived from (null for a publish on this endpoint or by one of its clients).
    /// </summary>
    public IDisposable Subscribe(string prefix, Action<string, Value, EndpointId?> handler)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new LocalSubscription(this, prefix, handler);
        lock (_registryLock) _localSubscriptions = [.. _localSubscriptions, subscription];
        AnnounceSubscriptions();
        return subscription;
    }

    internal void Unsubscribe(LocalSubscription subscription)
    {
        lock (_registryLock) _localSubscriptions = _localSubscriptions.Where(s => !ReferenceEquals(s, subscription)).ToArray();
        AnnounceSubscriptions();
    }

    /// <summary>Recomputes the announced prefix set and sends it to every peer when it changed.</summary>
    private void AnnounceSubscriptions()
    {
        byte[] frame;
        RemoteSubscriber[] peers;
        lock (_registryLock)
        {
            var current = _localSubscriptions.Select(s => s.Prefix)
                .Concat(_subscribers.Where(s => s.Kind == SubscriberKind.Client).SelectMany(s => s.Subscriptions))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            if (current.AsSpan().SequenceEqual(_announcedSubscriptions)) return;
            _announcedSubscriptions = current;
            _subscriptionsVersion++;
            frame = FrameCodec.EncodeSubscriptions(current);
            peers = _subscribers;
        }
        foreach (var s in peers)
            if (s is Peering p) p.SendControl(frame);
    }

    /// <summary>
    /// Publishes to local subscribers and queues one shared encoding in the buffer of every peer and
    /// client whose subscriptions match. Returns the number of buffers the message was offered to.
    /// </summary>
    public int Publish(string topic, Value value) => Publish(topic, value, origin: null);

    internal int Publish(string topic, Value value, RemoteSubscriber? origin)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(value);
        var frame = FrameCodec.EncodeData(topic, value);
        DeliverLocally(topic, value, null);
        var offered = 0;
        foreach (var subscriber in _subscribers)
        {
            if (ReferenceEquals(subscriber, origin) || !subscriber.Matches(topic)) continue;
            Offer(subscriber, frame);
            offered++;
        }
        return offered;
    }

    /// <summary>A data frame arrived from a peer: local subscribers and matching clients get it; peers do not (no forwarding).</summary>
    internal void DeliverFromPeer(Peering from, ReadOnlySpan<byte> body, ReadOnlySpan<byte> wholeFrame)
    {
        var (topic, value) = FrameCodec.DecodeData(body);
        DeliverLocally(topic, value, from.Id);
        byte[]? copy = null;
        foreach (var subscriber in _subscribers)
        {
            if (subscriber.Kind != SubscriberKind.Client || !subscriber.Matches(topic)) continue;
            copy ??= wholeFrame.ToArray();
            Offer(subscriber, copy);
        }
    }

    private static void Offer(RemoteSubscriber subscriber, byte[] frame)
    {
        if (subscriber.Buffer.Push(frame) == PushOutcome.OverflowDisconnect) subscriber.OnOverflowDisconnect();
    }

    private void DeliverLocally(string topic, Value value, EndpointId? origin)
    {
        foreach (var local in _localSubscriptions)
        {
            if (!topic.StartsWith(local.Prefix, StringComparison.Ordinal)) continue;
            try { local.Handler(topic, value, origin); }
            catch (Exception e) { _logger.LogError(e, "A subscriber of {Prefix} failed on a message for {Topic}", local.Prefix, topic); }
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
            foreach (var subscriber in _subscribers) _statsTable.Set(subscriber.ReadStats(now));
            _statsTable.EndRefresh();
            _statsTable.DepartedClientOverflows = DepartedClientOverflows;
            return _statsTable;
        }
    }

    /// <summary>
    /// The statistics of one peering or client, read now. Unlike <see cref="GetPeeringStats"/> this is safe
    /// to call from any number of threads at once; use it for point lookups, the table for scrapes.
    /// </summary>
    public bool TryGetPeeringStats(EndpointId id, out PeeringStats stats)
    {
        RemoteSubscriber? subscriber;
        lock (_registryLock) _byId.TryGetValue(id, out subscriber);
        stats = subscriber?.ReadStats(_clock.Refresh()) ?? default;
        return subscriber is not null;
    }

    /// <summary>The live peering (not client) with <paramref name="id"/>, if there is one now.</summary>
    public bool TryGetPeer(EndpointId id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PeerInfo? peer)
    {
        lock (_registryLock)
        {
            peer = _byId.TryGetValue(id, out var s) && s.Kind == SubscriberKind.Peer ? s.Info : null;
            return peer is not null;
        }
    }

    // ---- Shutdown --------------------------------------------------------------------------------

    public async ValueTask DisposeAsync()
    {
        PeerDialer[] dialers;
        Socket[] listeners;
        lock (_registryLock)
        {
            if (_shutdown.IsCancellationRequested) return;
            _shutdown.Cancel();
            dialers = _dialers.Values.ToArray();
            _dialers.Clear();
            listeners = _listeners.ToArray();
            _listeners.Clear();
        }
        foreach (var listener in listeners) listener.Dispose();
        foreach (var dialer in dialers) dialer.Stop("endpoint shutting down", CloseReason.Shutdown);
        foreach (var subscriber in _subscribers)
        {
            if (subscriber is Peering p) p.Close(PeerCloseKind.Removed, "endpoint shutting down", CloseReason.Shutdown);
            else if (subscriber is ClientSession c) c.Close("endpoint shutting down");
        }
        await _events.CompleteAsync().ConfigureAwait(false);
        _clock.Dispose();
    }
}
