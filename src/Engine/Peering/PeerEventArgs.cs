namespace Spillway.Engine.Peering;

/// <summary>A lifecycle event: peer added, peer lost (the connection broke) or peer removed (torn down here).</summary>
public sealed class PeerEventArgs(PeerInfo peer, string? reason) : EventArgs
{
    public PeerInfo Peer { get; } = peer;
    /// <summary>Why the peering ended (null for peer added), e.g. "backpressure overflow".</summary>
    public string? Reason { get; } = reason;
}
