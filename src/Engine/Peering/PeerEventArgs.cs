namespace Spillway.Engine.Peering;

/// <summary>A lifecycle event: peer added, peer lost (the connection broke) or peer removed (torn down here).</summary>
public sealed class PeerEventArgs(PeerInfo peer, string? reason, PeeringStats? finalStats = null) : EventArgs
{
    public PeerInfo Peer { get; } = peer;
    /// <summary>Why the peering ended (null for peer added), e.g. "backpressure overflow".</summary>
    public string? Reason { get; } = reason;
    /// <summary>For lost and removed: why, as a type (null for peer added, or when no code applies).</summary>
    public CloseReason? CloseReason { get; init; }
    /// <summary>For lost and removed: messages still queued in the peering's send buffer at teardown, discarded with it.</summary>
    public int DiscardedMessages { get; init; }
    /// <summary>
    /// For lost and removed: the peering's statistics at teardown, overflows included, so a consumer can
    /// carry exact totals past the peering's end (it has already left <see cref="Endpoint.GetPeeringStats"/>).
    /// </summary>
    public PeeringStats? FinalStats { get; } = finalStats;
}
