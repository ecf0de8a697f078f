using Spillway.Engine.Buffers;
using Spillway.Engine.Peering;

namespace Spillway.Telemetry.Layout;

/// <summary>
/// The five send-buffer settings of a node. A freshly constructed instance holds the engine's defaults
/// (<see cref="EndpointOptions"/>: 8192 / drop_oldest for peerings and WebSocket clients, 1 minute stats reset interval).
/// </summary>
public sealed record BufferSettings
{
    /// <summary>The docs/design.md §4 defaults.</summary>
    public static BufferSettings Default { get; } = new();

    /// <summary>JSON <c>peer_buffer_size</c>: capacity of each peering's send buffer, in messages.</summary>
    public int PeerBufferSize { get; init; } = EndpointOptions.DefaultBufferSize;
    /// <summary>JSON <c>peer_buffer_bytes</c>: byte bound of each peering's send buffer.</summary>
    public long PeerBufferBytes { get; init; } = EndpointOptions.DefaultBufferBytes;
    /// <summary>JSON <c>peer_overflow_policy</c>.</summary>
    public OverflowPolicy PeerOverflowPolicy { get; init; } = EndpointOptions.DefaultOverflowPolicy;
    /// <summary>JSON <c>websocket_buffer_size</c>: capacity of each WebSocket client's send buffer, in messages.</summary>
    public int WebSocketBufferSize { get; init; } = EndpointOptions.DefaultBufferSize;
    /// <summary>JSON <c>websocket_buffer_bytes</c>: byte bound of each WebSocket client's send buffer.</summary>
    public long WebSocketBufferBytes { get; init; } = EndpointOptions.DefaultBufferBytes;
    /// <summary>JSON <c>websocket_overflow_policy</c>.</summary>
    public OverflowPolicy WebSocketOverflowPolicy { get; init; } = EndpointOptions.DefaultOverflowPolicy;
    /// <summary>JSON <c>stats_reset_interval</c>: length of the "recent" window of the max fill level.</summary>
    public TimeSpan StatsResetInterval { get; init; } = EndpointOptions.DefaultStatsResetInterval;
}
