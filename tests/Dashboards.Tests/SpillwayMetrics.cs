namespace Spillway.Dashboards.Tests;

/// <summary>The metric families Spillway nodes export (docs/design.md §8), plus Prometheus' own per-target <c>up</c>.</summary>
public static class SpillwayMetrics
{
    /// <summary>Per-peering families: labelled node and peer.</summary>
    public static readonly IReadOnlySet<string> PerPeer = new HashSet<string>(StringComparer.Ordinal)
    {
        "spillway_peer_buffer_messages",
        "spillway_peer_buffer_recent_max_messages",
        "spillway_peer_buffer_overflows_total",
        "spillway_peer_messages_offered_total",
        "spillway_backpressure_disconnects_total",
        "spillway_peer_messages_discarded_total",
        "spillway_peer_buffer_capacity_messages",
    };

    /// <summary>WebSocket aggregates: labelled node only.</summary>
    public static readonly IReadOnlySet<string> WebSocket = new HashSet<string>(StringComparer.Ordinal)
    {
        "spillway_websocket_clients",
        "spillway_websocket_client_buffer_recent_max_messages",
        "spillway_websocket_client_buffer_overflows_total",
    };

    /// <summary>Written by Prometheus for every target (labels job and instance only): the only sign of a node that is down.</summary>
    public const string Up = "up";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(PerPeer.Concat(WebSocket).Append(Up), StringComparer.Ordinal);
}
