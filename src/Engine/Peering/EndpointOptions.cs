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
    /// <summary>The largest capacity, in messages, a send buffer may be given (2^28): rings grow on demand, so only a real backlog costs memory.</summary>
    public const int MaxBufferSize = 1 << 28;
    /// <summary>The default byte bound of a send buffer, peering or WebSocket client (64 MiB).</summary>
    public const long DefaultBufferBytes = 64L * 1024 * 1024;
    /// <summary>The largest byte bound a send buffer may be given (1 TiB).</summary>
    public const long MaxBufferBytes = 1L << 40;
    /// <summary>The largest frame size that can be configured (1 GiB).</summary>
    public const int MaxMaxFrameSize = 1 << 30;
    /// <summary>The default largest frame a connection may send before its hello exchange completes (256 KiB).</summary>
    public const int DefaultHandshakeMaxBytes = 256 * 1024;
    /// <summary>The default time a started frame may take to arrive completely (30 s).</summary>
    public static readonly TimeSpan DefaultFrameReadTimeout = TimeSpan.FromSeconds(30);
    /// <summary>The default number of inbound connections a node holds at once (1024).</summary>
    public const int DefaultMaxConnections = 1024;
    /// <summary>The default number of inbound connections a node holds at once from one remote address (128).</summary>
    public const int DefaultMaxConnectionsPerAddress = 128;
    /// <summary>The default number of topic prefixes one peer or client may subscribe to (10,000).</summary>
    public const int DefaultMaxSubscriptions = 10_000;
    /// <summary>The default number of distinct topic prefixes a node announces to its peers, its own and its clients' together (10,000: what a peer with the default <see cref="MaxSubscriptions"/> accepts).</summary>
    public const int DefaultMaxLocalSubscriptions = DefaultMaxSubscriptions;
    /// <summary>Bytes a drain loop takes out of a send buffer per batch (at least one message): bounds what is in flight outside the buffer.</summary>
    public const long DrainBatchBytes = 1024 * 1024;
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
    /// <summary>
    /// Layout <c>peer_buffer_bytes</c>: byte bound of each peering's send buffer (encoded frame sizes; a string message
    /// queued unencoded holds up to about twice that until written).
    /// </summary>
    public long PeerBufferBytes { get; init; } = DefaultBufferBytes;
    /// <summary>Layout <c>websocket_buffer_bytes</c>: byte bound of each client's send buffer (the queued messages' estimated memory, see <see cref="ClientMessageWeight"/>).</summary>
    public long WebSocketBufferBytes { get; init; } = DefaultBufferBytes;
    /// <summary>Layout <c>max_connections</c>: inbound connections (handshaking or peered) held at once; more are refused at accept.</summary>
    public int MaxConnections { get; init; } = DefaultMaxConnections;
    /// <summary>Layout <c>max_connections_per_address</c>: inbound connections held at once from one remote IP address.</summary>
    public int MaxConnectionsPerAddress { get; init; } = DefaultMaxConnectionsPerAddress;
    /// <summary>Layout <c>websocket_max_connections</c>: WebSocket clients (upgraded or upgrading) held at once; more get HTTP 503. A budget of its own so clients cannot starve peerings of theirs.</summary>
    public int WebSocketMaxConnections { get; init; } = DefaultMaxConnections;
    /// <summary>Layout <c>websocket_max_connections_per_address</c>: WebSocket clients held at once from one remote IP address; more get HTTP 429.</summary>
    public int WebSocketMaxConnectionsPerAddress { get; init; } = DefaultMaxConnectionsPerAddress;
    /// <summary>Layout <c>handshake_max_bytes</c>: the largest frame accepted before the hello exchange completes (the hello itself).</summary>
    public int HandshakeMaxBytes { get; init; } = DefaultHandshakeMaxBytes;
    /// <summary>Layout <c>frame_read_timeout</c>: a frame whose first byte has arrived must arrive completely within this time.</summary>
    public TimeSpan FrameReadTimeout { get; init; } = DefaultFrameReadTimeout;
    /// <summary>Layout <c>max_subscriptions</c>: topic prefixes one peer (hello or update) or client may subscribe to.</summary>
    public int MaxSubscriptions { get; init; } = DefaultMaxSubscriptions;
    /// <summary>
    /// Layout <c>max_local_subscriptions</c>: distinct topic prefixes the node announces to its peers, the union of its
    /// own subscriptions and every client's; a client whose subscriptions would pass it is refused. Local
    /// <see cref="SpillwayEndpoint.Subscribe(string, Action{string, Data.Value})"/> calls are the node's own code and
    /// are never refused, but count.
    /// </summary>
    public int MaxLocalSubscriptions { get; init; } = DefaultMaxLocalSubscriptions;
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
    /// <summary>Layout <c>max_frame_size</c>: the largest frame, in bytes, a peer may send; a larger one closes the peering (budget exceeded).</summary>
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
        RequireWithin(PeerBufferSize, 1, MaxBufferSize, nameof(PeerBufferSize));
        RequireWithin(WebSocketBufferSize, 1, MaxBufferSize, nameof(WebSocketBufferSize));
        RequireWithin(PeerBufferBytes, 1, MaxBufferBytes, nameof(PeerBufferBytes));
        RequireWithin(WebSocketBufferBytes, 1, MaxBufferBytes, nameof(WebSocketBufferBytes));
        RequireAtLeast(MaxConnections, 1, nameof(MaxConnections));
        RequireAtLeast(MaxConnectionsPerAddress, 1, nameof(MaxConnectionsPerAddress));
        RequireWithin(HandshakeMaxBytes, 64, MaxMaxFrameSize, nameof(HandshakeMaxBytes));
        RequirePositive(FrameReadTimeout, nameof(FrameReadTimeout));
        RequireAtLeast(MaxSubscriptions, 1, nameof(MaxSubscriptions));
        RequireAtLeast(WebSocketMaxConnections, 1, nameof(WebSocketMaxConnections));
        RequireAtLeast(WebSocketMaxConnectionsPerAddress, 1, nameof(WebSocketMaxConnectionsPerAddress));
        RequireAtLeast(MaxLocalSubscriptions, 1, nameof(MaxLocalSubscriptions));
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
        RequireWithin(MaxFrameSize, 64, MaxMaxFrameSize, nameof(MaxFrameSize));
        RequireAtLeast(DrainBatchSize, 1, nameof(DrainBatchSize));
        RequireAtLeast(SocketBufferBytes, 0, nameof(SocketBufferBytes));
        RequireAtLeast(InboundMessagesPerSecond, 0, nameof(InboundMessagesPerSecond));
    }

    private static void RequireAtLeast(int value, int minimum, string name)
    {
        if (value < minimum) throw new ArgumentException($"{name} must be at least {minimum}, got {value}", name);
    }

    private static void RequireWithin(long value, long minimum, long maximum, string name)
    {
        if (value < minimum || value > maximum)
            throw new ArgumentException($"{name} must be between {minimum} and {maximum}, got {value}", name);
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
