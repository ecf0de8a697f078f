using Spillway.Engine.Buffers;

namespace Spillway.Engine.Peering;

/// <summary>
/// Settings of one endpoint. Each default is defined here once (the layout's defaults are these); the
/// names match the layout file's fields (docs/layout.md). <see cref="Validate"/> runs at construction.
/// </summary>
public sealed record EndpointOptions
{
    /// <summary>The default capacity of a send buffer, peering or WebSocket client (8192 messages).</summary>
    public const int DefaultBufferSize = 8192;
    /// <summary>The default overflow policy of a send buffer, peering or WebSocket client.</summary>
    public const OverflowPolicy DefaultOverflowPolicy = OverflowPolicy.DropOldest;
    /// <summary>The default length of the window of the recent max (1 minute).</summary>
    public static readonly TimeSpan DefaultStatsResetInterval = TimeSpan.FromMinutes(1);
    /// <summary>The default largest frame a peer may send (16 MiB).</summary>
    public const int DefaultMaxFrameSize = 16 * 1024 * 1024;
    /// <summary>The smallest receive buffer a peering socket gets when <see cref="SocketBufferBytes"/> is set (256 KiB).</summary>
    public const int MinimumReceiveBufferBytes = 256 * 1024;

    /// <summary>Layout <c>peer_buffer_size</c>: capacity of each peering's send buffer, in messages.</summary>
    public int PeerBufferSize { get; init; } = DefaultBufferSize;
    /// <summary>Layout <c>peer_overflow_policy</c>: what a push into a full peering buffer does.</summary>
    public OverflowPolicy PeerOverflowPolicy { get; init; } = DefaultOverflowPolicy;
    /// <summary>Layout <c>websocket_buffer_size</c>: capacity of each client's (WebSocket connection's) send buffer, in messages.</summary>
    public int WebSocketBufferSize { get; init; } = DefaultBufferSize;
    /// <summary>Layout <c>websocket_overflow_policy</c>: what a push into a full client buffer does.</summary>
    public OverflowPolicy WebSocketOverflowPolicy { get; init; } = DefaultOverflowPolicy;
    /// <summary>Layout <c>stats_reset_interval</c>: length of the window of the recent max.</summary>
    public TimeSpan StatsResetInterval { get; init; } = DefaultStatsResetInterval;
    /// <summary>How long the initiating side waits before re-peering after a lost or removed peering.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>A connection that has not completed the hello exchange by then is closed.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How often a peering with nothing else to send sends a heartbeat, and checks what it heard.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>A peering that has received nothing (no frame, not even a heartbeat) for this long is lost with <see cref="CloseReason.HeartbeatTimeout"/>.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(4);
    /// <summary>The largest frame, in bytes, a peer may send; a larger one closes the peering as malformed input.</summary>
    public int MaxFrameSize { get; init; } = DefaultMaxFrameSize;
    /// <summary>Frames the drain loop moves out of a buffer per lock acquisition and socket write.</summary>
    public int DrainBatchSize { get; init; } = 256;
    /// <summary>
    /// Layout <c>socket_buffer_bytes</c>: kernel socket send buffer size in bytes; 0 keeps the OS default. Small
    /// values make backpressure reach the send buffer sooner. The receive buffer is set to at least
    /// <see cref="MinimumReceiveBufferBytes"/>.
    /// </summary>
    public int SocketBufferBytes { get; init; }
    /// <summary>Layout <c>inbound_messages_per_second</c>: caps how fast this endpoint reads from each peering (messages/s); 0 = unlimited. A demo and test knob for slow consumers.</summary>
    public int InboundMessagesPerSecond { get; init; }

    /// <summary>Mutual TLS on every peering (docs/security.md); null = plaintext.</summary>
    public PeerTlsOptions? Tls { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        RequireAtLeast(PeerBufferSize, 1, nameof(PeerBufferSize));
        RequireAtLeast(WebSocketBufferSize, 1, nameof(WebSocketBufferSize));
        RequireDefined(PeerOverflowPolicy, nameof(PeerOverflowPolicy));
        RequireDefined(WebSocketOverflowPolicy, nameof(WebSocketOverflowPolicy));
        RequirePositive(StatsResetInterval, nameof(StatsResetInterval));
        RequirePositive(RetryInterval, nameof(RetryInterval));
        RequirePositive(HandshakeTimeout, nameof(HandshakeTimeout));
        RequirePositive(HeartbeatInterval, nameof(HeartbeatInterval));
        RequirePositive(HeartbeatTimeout, nameof(HeartbeatTimeout));
        if (HeartbeatTimeout <= HeartbeatInterval)
            throw new ArgumentException(
                $"{nameof(HeartbeatTimeout)} must be longer than {nameof(HeartbeatInterval)} ({HeartbeatInterval}), got {HeartbeatTimeout}", nameof(HeartbeatTimeout));
        RequireAtLeast(MaxFrameSize, 64, nameof(MaxFrameSize));
        RequireAtLeast(DrainBatchSize, 1, nameof(DrainBatchSize));
        RequireAtLeast(SocketBufferBytes, 0, nameof(SocketBufferBytes));
        RequireAtLeast(InboundMessagesPerSecond, 0, nameof(InboundMessagesPerSecond));
    }

    private static void RequireAtLeast(int value, int minimum, string name)
    {
        if (value < minimum) throw new ArgumentException($"{name} must be at least {minimum}, got {value}", name);
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentException($"{name} must be positive, got {value}", name);
    }

    private static void RequireDefined(OverflowPolicy value, string name)
    {
        if (!Enum.IsDefined(value))
            throw new ArgumentException(
                $"{name}: unknown overflow policy {(int)value} (expected {OverflowPolicyNames.Disconnect}, {OverflowPolicyNames.DropOldest} or {OverflowPolicyNames.DropNewest})", name);
    }
}
