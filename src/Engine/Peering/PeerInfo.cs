using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>
/// Who a peering is with: remote endpoint id, remote socket address (rendered once), direction. One
/// instance per peering, compared by reference: when the same endpoint id re-peers, the new peering
/// has a new instance, so bookkeeping about the old one cannot be mistaken for the new one.
/// </summary>
public sealed class PeerInfo(EndpointId endpointId, string remoteAddress, PeeringDirection direction, PeerIdentity? identity = null)
{
    /// <summary>The names the peer's verified TLS certificate holds; null on a plaintext peering and for clients.</summary>
    public PeerIdentity? Identity { get; } = identity;

    public EndpointId EndpointId { get; } = endpointId;
    public string RemoteAddress { get; } = remoteAddress;
    public PeeringDirection Direction { get; } = direction;

    public override string ToString() => $"{EndpointId} ({RemoteAddress})";
}
