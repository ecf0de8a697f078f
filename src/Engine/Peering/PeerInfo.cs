using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>Who a peering is with: remote endpoint id, remote socket address (rendered once), direction.</summary>
public sealed record PeerInfo(EndpointId EndpointId, string RemoteAddress, PeeringDirection Direction)
{
    public override string ToString() => $"{EndpointId} ({RemoteAddress})";
}
