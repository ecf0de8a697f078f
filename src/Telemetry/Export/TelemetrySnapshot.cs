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

    /// <summary>WebSocket clients connected now.</summary>
    public int WebSocketClients { get; set; }

    /// <summary>Highest recent max over connected WebSocket clients (0 with none).</summary>
    public int WebSocketClientRecentMax { get; set; }

    /// <summary>Overflows over all WebSocket clients ever connected to this node, monotonic.</summary>
    public long WebSocketClientOverflows { get; set; }

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
        WebSocketClients = 0;
        WebSocketClientRecentMax = 0;
        WebSocketClientOverflows = 0;
    }
}

public readonly record struct PeerBufferGauges(string Peer, int Queued, int RecentMax, int Capacity);

public readonly record struct PeerCounter(string Peer, long Value);

public readonly record struct ReasonCounter(string Reason, long Value);
