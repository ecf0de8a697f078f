namespace Spillway.Engine.Peering;

/// <summary>A lifecycle event: peer added, peer lost (the connection broke) or peer removed (torn down here).</summary>
public sealed class PeerEventArgs : EventArgs
{
    /// <summary>Creates the arguments of one lifecycle event.</summary>
    public PeerEventArgs(PeerInfo peer, CloseReason? reason, string? detail, PeeringStats? finalStats = null)
    {
        Peer = peer;
        Reason = reason;
        Detail = detail;
        FinalStats = finalStats;
    }

    /// <summary>The peering the event is about (the same instance for all events of one peering).</summary>
    public PeerInfo Peer { get; }
    /// <summary>Why the peering ended (null for peer added). Branch and count on this, never on <see cref="Detail"/>.</summary>
    public CloseReason? Reason { get; }
    /// <summary>Free text for the log (null for peer added), e.g. <c>malformed input: unknown frame type 77</c>.</summary>
    public string? Detail { get; }
    /// <summary>For lost and removed: messages still queued in the peering's send buffer at teardown, discarded with it.</summary>
    public int DiscardedMessages { get; init; }
    /// <summary>
    /// For lost and removed: the peering's statistics at teardown, overflows included, so a consumer can
    /// carry exact totals past the peering's end (it has already left <see cref="SpillwayEndpoint.GetPeeringStats"/>).
    /// </summary>
    public PeeringStats? FinalStats { get; }
}
