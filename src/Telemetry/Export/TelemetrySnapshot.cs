namespace Spillway.Telemetry.Export;

/// <summary>
/// Everything one scrape exports, already named: the naming layer fills it from the engine's stats table,
/// both exporters read it. Only named peers appear per peer; label values are node names from the layout.
/// Reused between scrapes (lists are cleared and refilled), so an exporter must not keep references.
/// </summary>
public sealed class TelemetrySnapshot
{
    /// <summary>This node's name: the <c>node</c> label of every series.</summary>
    public string NodeName { get; set; } = "";

    /// <summary>Live, named peerings: one gauge set each (buffer messages, recent max, capacity).</summary>
    public List<PeerBufferGauges> PeerBuffers { get; } = new();

    /// <summary>Overflow totals per peer name, monotonic across re-peerings; kept after the peer leaves.</summary>
    public List<PeerCounter> PeerOverflows { get; } = new();

    /// <summary>Messages offered to the send buffer per peer name (queued or dropped), monotonic across re-peerings; kept after the peer leaves.</summary>
    public List<PeerCounter> PeerOffered { get; } = new();

    /// <summary>Messages discarded with the send buffer when a peering to this peer name ended (still queued at teardown), monotonic across re-peerings.</summary>
    public List<PeerCounter> PeerDiscarded { get; } = new();

    /// <summary>Disconnect-policy teardowns per peer name (<c>unknown</c> for unnamed peers).</summary>
    public List<PeerCounter> BackpressureDisconnects { get; } = new();

    /// <summary>
    /// The WebSocket aggregates per <c>app</c> label: one row per label this node has given (always
    /// <see cref="MetricNames.UnknownApp"/>), bounded by the layout's <c>websocket_app_labels</c>.
    /// </summary>
    public List<WebSocketAppAggregates> WebSocketApps { get; } = new();

    /// <summary>Budget refusals per reason (a fixed set of label values), monotonic.</summary>
    public List<ReasonCounter> ConnectionsRefused { get; } = new();

    public void Clear()
    {
        ConnectionsRefused.Clear();
        PeerBuffers.Clear();
        PeerOverflows.Clear();
        PeerOffered.Clear();
        PeerDiscarded.Clear();
        BackpressureDisconnects.Clear();
        WebSocketApps.Clear();
    }
}

public readonly record struct PeerBufferGauges(string Peer, int Queued, int RecentMax, int Capacity);

public readonly record struct PeerCounter(string Peer, long Value);

/// <summary>The WebSocket aggregates of one <c>app</c> label.</summary>
/// <param name="App">The label value: a client-given name, <c>unknown</c> or <c>other</c>.</param>
/// <param name="Clients">Clients of this label connected now.</param>
/// <param name="RecentMax">Highest recent max over them (0 with none).</param>
/// <param name="Overflows">Overflows over every client of this label ever connected, monotonic.</param>
public readonly record struct WebSocketAppAggregates(string App, int Clients, int RecentMax, long Overflows);

public readonly record struct ReasonCounter(string Reason, long Value);
