using Spillway.Engine.Peering;

namespace Spillway.Telemetry.Layout;

/// <summary>
/// The budgets of a node (the layout's <c>limits</c> section): what any remote, peer or not, may cost it. A freshly
/// constructed instance holds the engine's defaults (<see cref="EndpointOptions"/>) and the naming layer's cap of WebSocket
/// application labels.
/// </summary>
public sealed record LimitSettings
{
    /// <summary>The engine defaults.</summary>
    public static LimitSettings Default { get; } = new();

    /// <summary>JSON <c>max_connections</c>: inbound connections a node holds at once.</summary>
    public int MaxConnections { get; init; } = EndpointOptions.DefaultMaxConnections;
    /// <summary>JSON <c>max_connections_per_address</c>: inbound connections a node holds at once from one IP address.</summary>
    public int MaxConnectionsPerAddress { get; init; } = EndpointOptions.DefaultMaxConnectionsPerAddress;
    /// <summary>JSON <c>websocket_max_connections</c>: WebSocket clients a node holds at once (a budget apart from peerings').</summary>
    public int WebSocketMaxConnections { get; init; } = EndpointOptions.DefaultMaxConnections;
    /// <summary>JSON <c>websocket_max_connections_per_address</c>: WebSocket clients a node holds at once from one IP address.</summary>
    public int WebSocketMaxConnectionsPerAddress { get; init; } = EndpointOptions.DefaultMaxConnectionsPerAddress;
    /// <summary>JSON <c>handshake_max_bytes</c>: the largest frame accepted before the hello exchange completes.</summary>
    public int HandshakeMaxBytes { get; init; } = EndpointOptions.DefaultHandshakeMaxBytes;
    /// <summary>JSON <c>max_frame_size</c>: the largest frame accepted from a peer.</summary>
    public int MaxFrameSize { get; init; } = EndpointOptions.DefaultMaxFrameSize;
    /// <summary>JSON <c>frame_read_timeout</c>: a started frame must arrive completely within this time.</summary>
    public TimeSpan FrameReadTimeout { get; init; } = EndpointOptions.DefaultFrameReadTimeout;
    /// <summary>JSON <c>max_subscriptions</c>: topic prefixes one peer or WebSocket client may subscribe to.</summary>
    public int MaxSubscriptions { get; init; } = EndpointOptions.DefaultMaxSubscriptions;
    /// <summary>
    /// JSON <c>websocket_app_labels</c>: distinct WebSocket application names a node labels its WebSocket series with;
    /// clients with later names share <c>app="other"</c>.
    /// </summary>
    public int WebSocketAppLabels { get; init; } = Naming.NodeTelemetry.DefaultWebSocketAppLabels;
    /// <summary>JSON <c>max_local_subscriptions</c>: distinct topic prefixes a node announces to its peers (its own and all its clients').</summary>
    public int MaxLocalSubscriptions { get; init; } = EndpointOptions.DefaultMaxLocalSubscriptions;
}
