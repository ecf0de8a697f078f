namespace Spillway.Engine.Peering;

/// <summary>What a live peering needs from its endpoint, and no more.</summary>
internal interface IPeerHost
{
    /// <summary>The clock for the inbound rate limit's pauses (a fake one in tests).</summary>
    TimeProvider TimeProvider { get; }

    /// <summary>How often an otherwise idle peering sends a heartbeat and checks what it heard.</summary>
    TimeSpan HeartbeatInterval { get; }

    /// <summary>Silence after which a peering is lost with <see cref="CloseReason.HeartbeatTimeout"/>.</summary>
    TimeSpan HeartbeatTimeout { get; }

    /// <summary>Caps reads per peering (messages/s); 0 = unlimited.</summary>
    int InboundMessagesPerSecond { get; }

    /// <summary>Frames the drain loop takes out of the buffer per lock acquisition.</summary>
    int DrainBatchSize { get; }

    /// <summary>A frame whose first byte has arrived must be complete within this time.</summary>
    TimeSpan FrameReadTimeout { get; }

    /// <summary>Topic prefixes a peer may subscribe to.</summary>
    int MaxSubscriptions { get; }

    /// <summary>The peering passed a budget and is about to close: count it and log it.</summary>
    void OnBudgetExceeded(PeerConnection peer, RefusalReason reason, string detail);

    /// <summary>A data frame body arrived: deliver it to local subscribers and matching clients.</summary>
    void DeliverFromPeer(PeerConnection from, ReadOnlySpan<byte> body);

    /// <summary>The peering has closed: unregister it and raise its lifecycle event.</summary>
    void OnPeerClosed(PeerConnection peer, CloseReason reason, string detail, int discarded);
}
