using Spillway.Engine.Buffers;

namespace Spillway.Telemetry.Layout;

/// <summary>
/// The built-in demo cluster (also in examples/cluster.json): manager, logger, proxy-1, worker-1, worker-2 on 127.0.0.1,
/// metrics ports 9101..9105 and peering ports 9201..9205 in that order, the manager's WebSocket API on 9301.
/// Tuned so that backpressure shows within 30 s: 1000-message peer buffers (drop_oldest), a logger that reads only
/// 300 messages/s from each peering, and 8 KiB socket buffers everywhere, so the send buffer, not the kernel, absorbs the backlog.
/// </summary>
public static class DemoLayout
{
    public const string Host = "127.0.0.1";
    public const int FirstMetricsPort = 9101;
    public const int FirstPeeringPort = 9201;
    public const int ManagerWebSocketPort = 9301;
    public const int PeerBufferSize = 1000;
    public const int LoggerInboundMessagesPerSecond = 300;
    public const int SocketBufferBytes = 8192;

    /// <summary>The demo cluster's buffer settings: peer buffers of 1000 with drop_oldest, WebSocket defaults, 1 minute window.</summary>
    public static BufferSettings Buffers { get; } = new()
    {
        PeerBufferSize = PeerBufferSize,
        PeerOverflowPolicy = OverflowPolicy.DropOldest,
        StatsResetInterval = TimeSpan.FromMinutes(1),
    };

    /// <summary>A fresh copy of the demo layout. Use <see cref="ClusterLayout.WithPortOffset"/> to move it to other ports.</summary>
    public static ClusterLayout Create()
    {
        (string Name, NodeRole Role)[] nodes =
        [
            ("manager", NodeRole.Manager),
            ("logger", NodeRole.Logger),
            ("proxy-1", NodeRole.Proxy),
            ("worker-1", NodeRole.Worker),
            ("worker-2", NodeRole.Worker),
        ];
        var specs = nodes.Select((n, i) => new NodeSpec
        {
            Name = n.Name,
            Role = n.Role,
            Host = Host,
            PeeringPort = FirstPeeringPort + i,
            MetricsPort = FirstMetricsPort + i,
            WebSocketPort = n.Role == NodeRole.Manager ? ManagerWebSocketPort : null,
            InboundMessagesPerSecond = n.Role == NodeRole.Logger ? LoggerInboundMessagesPerSecond : 0,
            SocketBufferBytes = SocketBufferBytes,
            Buffers = Buffers,
        });
        return new ClusterLayout(specs, Buffers, "<demo>");
    }
}
