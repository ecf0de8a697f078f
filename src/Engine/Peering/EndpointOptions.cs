using Spillway.Engine.Buffers;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Peering;

/// <summary>Settings of one endpoint. Defaults follow DESIGN section 4; <see cref="Validate"/> runs at construction.</summary>
public sealed record EndpointOptions
{
    public int PeerBufferSize { get; init; } = 8192;
    public OverflowPolicy PeerOverflowPolicy { get; init; } = OverflowPolicy.DropOldest;
    public int ClientBufferSize { get; init; } = 8192;
    public OverflowPolicy ClientOverflowPolicy { get; init; } = OverflowPolicy.DropOldest;
    public TimeSpan StatsResetInterval { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>How long the initiating side waits before re-peering after a lost or removed peering.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>A connection that has not completed the hello exchange by then is closed.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How often a peering with nothing else to send sends a heartbeat, and checks what it heard.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>A peering that has received nothing (no frame, not even a heartbeat) for this long is lost with <see cref="CloseReason.HeartbeatTimeout"/>.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(4);
    public int MaxFrameSize { get; init; } = FrameCodec.DefaultMaxFrameSize;
    /// <summary>Frames the drain loop moves out of a buffer per lock acquisition and socket write.</summary>
    public int DrainBatchSize { get; init; } = 256;
    /// <summary>
    /// Kernel socket send buffer size in bytes; 0 keeps the OS default. Small values make backpressure reach
    /// the send buffer sooner. The receive buffer is set to at least <see cref="MinimumReceiveBufferSize"/>.
    /// </summary>
    public int SocketBufferSize { get; init; }

    /// <summary>The smallest receive buffer a peering socket gets when <see cref="SocketBufferSize"/> is set (256 KiB).</summary>
    public const int MinimumReceiveBufferSize = 256 * 1024;
    /// <summary>Caps how fast this endpoint reads from each peering (messages/s); 0 = unlimited. A demo and test knob for slow consumers.</summary>
    public int InboundMessagesPerSecond { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        RequireAtLeast(PeerBufferSize, 1, nameof(PeerBufferSize));
        RequireAtLeast(ClientBufferSize, 1, nameof(ClientBufferSize));
        RequireDefined(PeerOverflowPolicy, nameof(PeerOverflowPolicy));
        RequireDefined(ClientOverflowPolicy, nameof(ClientOverflowPolicy));
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
        RequireAtLeast(SocketBufferSize, 0, nameof(SocketBufferSize));
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
