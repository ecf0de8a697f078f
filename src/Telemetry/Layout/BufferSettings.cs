using Spillway.Engine.Buffers;

namespace Spillway.Telemetry.Layout;

/// <summary>
/// The five send-buffer settings of a node. A freshly constructed instance holds the defaults of DESIGN section 4
/// (8192 / drop_oldest for peerings and WebSocket clients, 1 minute stats reset interval).
/// </summary>
public sealed record BufferSettings
{
    /// <summary>The DESIGN section 4 defaults.</summary>
    public static BufferSettings Default { get; } = new();

    /// <summary>JSON <c>peer_buffer_size</c>: capacity of each peering's send buffer, in messages.</summary>
    public int PeerBufferSize { get; init; } = 8192;
    /// <summary>JSON <c>peer_overflow_policy</c>.</summary>
    public OverflowPolicy PeerOverflowPolicy { get; init; } = OverflowPolicy.DropOldest;
    /// <summary>JSON <c>websocket_buffer_size</c>: capacity of each WebSocket client's send buffer, in messages.</summary>
    public int WebSocketBufferSize { get; init; } = 8192;
    /// <summary>JSON <c>websocket_overflow_policy</c>.</summary>
    public OverflowPolicy WebSocketOverflowPolicy { get; init; } = OverflowPolicy.DropOldest;
    /// <summary>JSON <c>stats_reset_interval</c>: length of the "recent" window of the max fill level.</summary>
    public TimeSpan StatsResetInterval { get; init; } = TimeSpan.FromMinutes(1);
}
