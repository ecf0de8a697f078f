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
    private readonly IDisposable _helloSubscription;
    private readonly Func<PeerInfo, bool> _isLive;

    public NodeTelemetry(SpillwayEndpoint endpoint, string nodeName, IEnumerable<string> layoutNames, ILogger logger)
    {
        _endpoint = endpoint;
        NodeName = nodeName;
        _logger = logger;
        _names = new PeerNameRegistry(nodeName, layoutNames.ToHashSet(StringComparer.Ordinal));
        _isLive = peering => _endpoint.TryGetPeer(peering.EndpointId, out var live) && ReferenceEquals(live, peering);
        endpoint.PeerAdded += OnPeerAdded;
        endpoint.PeerLost += OnPeerLost;
        endpoint.PeerRemoved += OnPeerRemoved;
        _helloSubscription = endpoint.Subscribe(HelloMessage.TopicFor(endpoint.Id), OnHello);
    }

    public string NodeName { get; }

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
        _endpoint.Publish(HelloMessage.TopicFor(e.Peer.EndpointId), HelloMessage.Create(NodeName, _endpoint.Id));
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
        lock (_gate)
        {
            if (!_names.TryAssign(peering, name, _isLive, out problem))
            {
                _logger.LogError("{Node}: not naming the peer at {Address} (endpoint {Id}): {Problem}; it stays unnamed and exports no per-peer metrics",
                    NodeName, peering.RemoteAddress, from, problem);
                return;
            }
            _ledger.OnNamed(peering, name);
        }
        _logger.LogInformation("{Node}: {Address} is {Peer}", NodeName, peering.RemoteAddress, name);
    }

    private void OnPeerLost(object? sender, PeerEventArgs e)
    {
        var name = End(e, isBackpressure: false);
        _logger.LogWarning("{Node}: lost {Peer} ({Address}): {Reason}", NodeName, name ?? "unnamed peer", e.Peer.RemoteAddress, e.Detail);
    }

    private void OnPeerRemoved(object? sender, PeerEventArgs e)
    {
        var name = End(e, isBackpressure: e.Reason == CloseReason.BackpressureOverflow);
        _logger.LogWarning("{Node}: removed {Peer} ({Address}) due to {Reason}", NodeName, name ?? "unnamed peer", e.Peer.RemoteAddress, e.Detail);
    }

    private string? End(PeerEventArgs e, bool isBackpressure)
    {
        lock (_gate)
        {
            _ledger.OnEnded(e.Peer, e.FinalStats?.Overflows ?? 0, e.FinalStats?.Offered ?? 0);
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
            var clientMax = 0;
            var clientOverflows = table.DepartedClientOverflows;
            foreach (var row in table.Rows)
            {
                if (row.Kind == SubscriberKind.Client)
                {
                    snapshot.WebSocketClients++;
                    clientMax = Math.Max(clientMax, row.RecentMax);
                    clientOverflows += row.Overflows;
                    continue;
                }
                if (!_names.TryGetName(row.Peer, out var name)) continue; // unnamed: no per-peer series
                _ledger.OnObserved(row.Peer, row.Overflows, row.Offered);
                snapshot.PeerBuffers.Add(new PeerBufferGauges(name, row.Queued, row.RecentMax, row.Capacity));
            }
            snapshot.WebSocketClientRecentMax = clientMax;
            snapshot.WebSocketClientOverflows = clientOverflows;
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
                    _ledger.DisconnectsOf(name));
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
        _helloSubscription.Dispose();
    }
}
