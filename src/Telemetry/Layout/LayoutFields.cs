namespace Spillway.Telemetry.Layout;

/// <summary>The property names of the layout file and small helpers to build JSON paths for error messages.</summary>
internal static class LayoutFields
{
    public const string Buffers = "buffers";
    public const string Nodes = "nodes";
    public const string Tls = "tls";

    public const string TlsCa = "ca";
    public const string TlsWebSocketClientCertificates = "websocket_client_certificates";
    public const string Certificate = "certificate";
    public const string Key = "key";

    public const string Heartbeat = "heartbeat";
    public const string HeartbeatInterval = "interval";
    public const string HeartbeatTimeout = "timeout";

    public const string PeerBufferSize = "peer_buffer_size";
    public const string PeerOverflowPolicy = "peer_overflow_policy";
    public const string WebSocketBufferSize = "websocket_buffer_size";
    public const string WebSocketOverflowPolicy = "websocket_overflow_policy";
    public const string StatsResetInterval = "stats_reset_interval";
    public const string PeerBufferBytes = "peer_buffer_bytes";
    public const string WebSocketBufferBytes = "websocket_buffer_bytes";

    public const string Name = "name";
    public const string Role = "role";
    public const string Host = "host";
    public const string PeeringPort = "peering_port";
    public const string MetricsPort = "metrics_port";
    public const string WebSocketPort = "websocket_port";
    public const string InboundMessagesPerSecond = "inbound_messages_per_second";
    public const string SocketBufferBytes = "socket_buffer_bytes";

    public static readonly string[] RootProperties = [Tls, Buffers, Heartbeat, LayoutLimits.Section, Nodes];
    public static readonly string[] TlsProperties = [TlsCa, TlsWebSocketClientCertificates];
    public static readonly string[] HeartbeatProperties = [HeartbeatInterval, HeartbeatTimeout];
    public static readonly string[] BufferProperties =
        [PeerBufferSize, PeerBufferBytes, PeerOverflowPolicy, WebSocketBufferSize, WebSocketBufferBytes, WebSocketOverflowPolicy, StatsResetInterval];
    public static readonly string[] NodeProperties =
        [Name, Role, Host, PeeringPort, MetricsPort, WebSocketPort, InboundMessagesPerSecond, SocketBufferBytes, Certificate, Key, Buffers, LayoutLimits.Section];

    public static string Node(int index) => $"{Nodes}[{index}]";

    public static string Join(string? parent, string child) => string.IsNullOrEmpty(parent) ? child : $"{parent}.{child}";

    /// <summary><c>a, b or c</c>.</summary>
    public static string OrList(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1];
}
