using Microsoft.Extensions.Logging;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Telemetry.Export;

namespace Spillway.Telemetry.Naming;

/// <summary>
/// The naming layer of one node: runs the hello exchange, names peerings by cluster node, keeps the
/// counters monotonic per name, logs lifecycle events in an operator's words, and turns the engine's
/// stats table into what the exporters and <c>/peers</c> show. Unnamed peerings and clients never get
/// a per-peer series, so label values stay bounded by the layout.
/// </summary>
public sealed class NodeTelemetry : ITelemetrySource, IDisposable
{
    private readonly SpillwayEndpoint _endpoint;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly PeerNameRegistry _names;
    private readonly PeerCounterLedger _ledger = new();
    private readonly WebSocketAppLedger _apps;
    private readonly IDisposable _helloSubscription;
    private readonly Func<PeerInfo, bool> _isLive;
    private readonly IDisposable _ackSubscription;
    private readonly HelloRetrier _retrier;
    // Claimants refused because another live peering held the name: logged once each, then retried quietly.
    private readonly HashSet<PeerInfo> _refusedClaimants = new(ReferenceEqualityComparer.Instance);
    // The latest refused claim per name: granted the moment the holder's peering ends, without waiting for a repeat.
    private readonly Dictionary<string, PeerInfo> _waitingClaims = new(StringComparer.Ordinal);

    /// <summary>How often an unacknowledged hello is repeated.</summary>
    public static readonly TimeSpan HelloRetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>The default of <paramref name="webSocketAppLabels"/>: the layout's <c>websocket_app_labels</c> default.</summary>
    public const int DefaultWebSocketAppLabels = 32;

    /// <param name="webSocketAppLabels">Distinct client application names labelled per node; later names share <c>app="other"</c>.</param>
    public NodeTelemetry(SpillwayEndpoint endpoint, string nodeName, IEnumerable<string> layoutNames, ILogger logger,
        int webSocketAppLabels = DefaultWebSocketAppLabels)
    {
        _endpoint = endpoint;
        _apps = new WebSocketAppLedger(webSocketAppLabels);
        NodeName = nodeName;
        _logger = logger;
        var names = layoutNames.ToHashSet(StringComparer.Ordinal);
        _names = new PeerNameRegistry(nodeName, names);
        // Every other layout node, plus "unknown" for unnamed peerings (counted with our own name, which never is a peer).
        MaxPeerLabelValues = names.Count + 1;
        _isLive = peering => _endpoint.TryGetPeer(peering.EndpointId, out var live) && ReferenceEquals(live, peering);
        endpoint.PeerAdded += OnPeerAdded;
        endpoint.PeerLost += OnPeerLost;
        endpoint.PeerRemoved += OnPeerRemoved;
        endpoint.ClientLeft += OnClientLeft;
        _helloSubscription = endpoint.Subscribe(HelloMessage.TopicFor(endpoint.Id), OnHello);
        _ackSubscription = endpoint.Subscribe(HelloMessage.AckTopicFor(endpoint.Id), OnAck);
        _retrier = new HelloRetrier(endpoint.TimeProvider, HelloRetryInterval, SendHello);
    }

    private void SendHello(PeerInfo peering)
    {
        if (_endpoint.TryGetPeer(peering.EndpointId, out var live) && ReferenceEquals(live, peering))
            _endpoint.SendDirect(peering.EndpointId, HelloMessage.TopicFor(peering.EndpointId), HelloMessage.Create(NodeName, _endpoint.Id));
    }

    private void OnAck(string topic, Value value, EndpointId? origin)
    {
        if (origin is not { } from || !_endpoint.TryGetPeer(from, out var peering)) return;
        if (!HelloMessage.TryParse(value, out var name, out var claimed, out _) || claimed != from) return;
        if (_retrier.Acknowledged(from))
            _logger.LogInformation("{Node}: {Peer} ({Address}) has named us", NodeName, name, peering.RemoteAddress);
    }

    public string NodeName { get; }

    /// <summary>The layout's node names plus <c>unknown</c>: peer labels are never anything else (ITelemetrySource).</summary>
    public int MaxPeerLabelValues { get; }

    /// <summary>The node name of a live peering, or null while it is unnamed.</summary>
    public string? NameOf(EndpointId id)
    {
        if (!_endpoint.TryGetPeer(id, out var peering)) return null;
        lock (_gate) return _names.TryGetName(peering, out var name) ? name : null;
    }

    private void OnPeerAdded(object? sender, PeerEventArgs e)
    {
        _logger.LogInformation("{Node}: peered with {Address} (endpoint {Id}, {Direction}); waiting for its hello",
            NodeName, e.Peer.RemoteAddress, e.Peer.EndpointId, e.Peer.Direction == PeeringDirection.Initiated ? "we dialed" : "it dialed");
        _retrier.Awaiting(e.Peer);
        // Direct, not through the send buffer: a hello must not wait behind (or be dropped with) a data backlog.
        _endpoint.SendDirect(e.Peer.EndpointId, HelloMessage.TopicFor(e.Peer.EndpointId), HelloMessage.Create(NodeName, _endpoint.Id));
    }

    private void OnHello(string topic, Value value, EndpointId? origin)
    {
        if (origin is not { } from) return; // our own publish cannot be a hello from a peer
        if (!_endpoint.TryGetPeer(from, out var peering)) return; // it left meanwhile
        if (!HelloMessage.TryParse(value, out var name, out var claimed, out var problem))
        {
            _logger.LogError("{Node}: ignoring a hello from {Address}: {Problem}; the peer stays unnamed", NodeName, peering.RemoteAddress, problem);
            return;
        }
        if (claimed != from)
        {
            _logger.LogError("{Node}: ignoring a hello from {Address}: it claims endpoint {Claimed} but arrived from {Actual}; the peer stays unnamed",
                NodeName, peering.RemoteAddress, claimed, from);
            return;
        }
        if (CertificateRefusal(peering, name) is { } refusal)
        {
            _logger.LogError("{Node}: refusing the peer at {Address} (endpoint {Id}): {Problem}; closing the peering, it stays unnamed",
                NodeName, peering.RemoteAddress, from, refusal);
            _endpoint.Unpeer(from, CloseReason.AuthenticationFailed, "authentication failed: " + refusal);
            return;
        }
        bool renamed;
        PeerInfo? liveHolder = null;
        bool firstRefusal = false;
        lock (_gate)
        {
            renamed = !(_names.TryGetName(peering, out var current) && current == name);
            if (!_names.TryAssign(peering, name, _isLive, out problem))
            {
                if (_names.HolderOf(name) is { } holder && !ReferenceEquals(holder, peering) && _isLive(holder))
                {
                    liveHolder = holder;
                    firstRefusal = _refusedClaimants.Add(peering);
                    _waitingClaims[name] = peering;
                }
            }
            else
            {
                _refusedClaimants.Remove(peering);
                if (_waitingClaims.TryGetValue(name, out var waiting) && ReferenceEquals(waiting, peering)) _waitingClaims.Remove(name);
                _ledger.OnNamed(peering, name);
            }
        }
        if (liveHolder is not null)
        {
            // Two peerings claim one layout name: usually the node restarted and its old peering is dead but not
            // yet noticed. A heartbeat sent now fails at once if the old process is gone (its host resets the
            // connection); a silent holder times out. The claimant repeats its hello, so whichever is alive gets it.
            _endpoint.ProbePeer(liveHolder.EndpointId);
            _logger.Log(firstRefusal ? LogLevel.Warning : LogLevel.Debug,
                "{Node}: not naming the peer at {Address} (endpoint {Id}) yet: name '{Peer}' is already held by {Holder}; checking whether the holder is alive, the claim is retried until one of them is gone",
                NodeName, peering.RemoteAddress, from, name, liveHolder);
            return;
        }
        if (problem.Length > 0)
        {
            _logger.LogError("{Node}: not naming the peer at {Address} (endpoint {Id}): {Problem}; it stays unnamed and exports no per-peer metrics",
                NodeName, peering.RemoteAddress, from, problem);
            return;
        }
        _endpoint.SendDirect(from, HelloMessage.AckTopicFor(from), HelloMessage.Create(NodeName, _endpoint.Id));
        if (renamed) _logger.LogInformation("{Node}: {Address} is {Peer}", NodeName, peering.RemoteAddress, name);
    }

    /// <summary>A holder's peering ended: a claim refused while it looked alive gets the name now.</summary>
    private void GrantWaitingClaim(string? endedName)
    {
        if (endedName is null) return;
        PeerInfo? claimant;
        lock (_gate)
        {
            if (!_waitingClaims.Remove(endedName, out claimant) || !_isLive(claimant)) return;
            if (!_names.TryAssign(claimant, endedName, _isLive, out _)) return;
            _refusedClaimants.Remove(claimant);
            _ledger.OnNamed(claimant, endedName);
        }
        _endpoint.SendDirect(claimant.EndpointId, HelloMessage.AckTopicFor(claimant.EndpointId), HelloMessage.Create(NodeName, _endpoint.Id));
        _logger.LogInformation("{Node}: {Address} is {Peer}", NodeName, claimant.RemoteAddress, endedName);
    }

    /// <summary>On a TLS peering the name in the hello must be one the peer's verified certificate holds (docs/security.md).</summary>
    private static string? CertificateRefusal(PeerInfo peering, string name) =>
        peering.Identity is not { } identity || identity.Holds(name)
            ? null
            : $"its hello says '{(name.Length <= 64 ? name : name[..64] + "…")}' but its certificate is for {identity}";

    private void OnPeerLost(object? sender, PeerEventArgs e)
    {
        var name = End(e, isBackpressure: false);
        _logger.LogWarning("{Node}: lost {Peer} ({Address}): {Reason}{Discarded}", NodeName, name ?? "unnamed peer", e.Peer.RemoteAddress, e.Detail, Discarded(e));
        GrantWaitingClaim(name);
    }

    private void OnPeerRemoved(object? sender, PeerEventArgs e)
    {
        var name = End(e, isBackpressure: e.Reason == CloseReason.BackpressureOverflow);
        _logger.LogWarning("{Node}: removed {Peer} ({Address}) due to {Reason}{Discarded}", NodeName, name ?? "unnamed peer", e.Peer.RemoteAddress, e.Detail, Discarded(e));
        GrantWaitingClaim(name);
    }

    private void OnClientLeft(object? sender, PeerEventArgs e)
    {
        lock (_gate) _apps.OnLeft(e.Peer, e.FinalStats?.Overflows ?? 0);
    }

    private static string Discarded(PeerEventArgs e) =>
        e.DiscardedMessages > 0 ? $"; {e.DiscardedMessages} queued messages discarded with the peering" : "";

    private string? End(PeerEventArgs e, bool isBackpressure)
    {
        lock (_gate)
        {
            _ledger.OnEnded(e.Peer, e.FinalStats?.Overflows ?? 0, e.FinalStats?.Offered ?? 0, e.DiscardedMessages);
            _refusedClaimants.Remove(e.Peer);
            foreach (var (claimed, claimant) in _waitingClaims.ToArray())
                if (ReferenceEquals(claimant, e.Peer)) _waitingClaims.Remove(claimed);
            _retrier.Ended(e.Peer);
            var name = _names.Unname(e.Peer);
            if (isBackpressure) _ledger.OnBackpressureDisconnect(name);
            return name;
        }
    }

    /// <summary>Fills one scrape's values from the engine's stats table (ITelemetrySource).</summary>
    public void Fill(TelemetrySnapshot snapshot)
    {
        snapshot.Clear();
        snapshot.NodeName = NodeName;
        lock (_gate)
        {
            var table = _endpoint.GetPeeringStats();
            _apps.BeginFill();
            foreach (var row in table.Rows)
            {
                if (row.Kind == SubscriberKind.Client)
                {
                    _apps.Observe(row);
                    continue;
                }
                if (!_names.TryGetName(row.Peer, out var name)) continue; // unnamed: no per-peer series
                _ledger.OnObserved(row.Peer, row.Overflows, row.Offered);
                snapshot.PeerBuffers.Add(new PeerBufferGauges(name, row.Queued, row.RecentMax, row.Capacity));
            }
            _apps.Fill(snapshot.WebSocketApps);
            _ledger.FillCounters(snapshot);
        }
        foreach (var reason in RefusalReasonNames.All)
            snapshot.ConnectionsRefused.Add(new ReasonCounter(reason.ToLabel(), _endpoint.Refusals[reason]));
    }

    /// <summary>The <c>/peers</c> document: every peering (named or not) and every client, with names where known.</summary>
    public PeersReport BuildReport()
    {
        var peers = new List<PeerReportRow>();
        var clients = new List<PeerReportRow>();
        lock (_gate)
        {
            foreach (var row in _endpoint.GetPeeringStats().Rows)
            {
                string? name = null;
                if (row.Kind == SubscriberKind.Peer && _names.TryGetName(row.Peer, out var n)) name = n;
                var reportRow = new PeerReportRow(
                    row.EndpointId.ToString(), name,
                    row.Direction == PeeringDirection.Initiated ? PeerReportRow.Initiated : PeerReportRow.Accepted,
                    row.RemoteAddress, row.Capacity, row.Policy.ToName(), row.Queued, row.RecentMax, row.Overflows,
                    _ledger.DisconnectsOf(name),
                    row.Kind == SubscriberKind.Client ? row.Peer.Application ?? WebSocketAppLedger.Unknown : null);
                (row.Kind == SubscriberKind.Client ? clients : peers).Add(reportRow);
            }
        }
        peers.Sort((a, b) => string.CompareOrdinal(a.Name ?? "~" + a.Address, b.Name ?? "~" + b.Address));
        return new PeersReport(NodeName, _endpoint.Id.ToString(), peers, clients);
    }

    public void Dispose()
    {
        _endpoint.PeerAdded -= OnPeerAdded;
        _endpoint.PeerLost -= OnPeerLost;
        _endpoint.PeerRemoved -= OnPeerRemoved;
        _endpoint.ClientLeft -= OnClientLeft;
        _helloSubscription.Dispose();
        _ackSubscription.Dispose();
        _retrier.Dispose();
    }
}
