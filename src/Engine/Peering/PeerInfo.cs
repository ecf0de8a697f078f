using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>
/// Who a peering is with: remote endpoint id, remote socket address (rendered once), direction. One
/// instance per peering, compared by reference: when the same endpoint id re-peers, the new peering
/// has a new instance, so bookkeeping about the old one cannot be mistaken for the new one.
/// </summary>
/// <param name="endpointId">The remote endpoint id.</param>
/// <param name="remoteAddress">The remote socket address as an operator writes it.</param>
/// <param name="direction">Who dialed.</param>
/// <param name="identity">The names the peer's verified TLS certificate holds; null on a plaintext peering and for clients.</param>
public sealed class PeerInfo(EndpointId endpointId, string remoteAddress, PeeringDirection direction, PeerIdentity? identity = null)
{
    /// <summary>The names the peer's verified TLS certificate holds; null on a plaintext peering and for clients.</summary>
    public PeerIdentity? Identity { get; } = identity;

    /// <summary>The remote endpoint id.</summary>
    public EndpointId EndpointId { get; } = endpointId;
    /// <summary>The remote socket address, e.g. <c>127.0.0.1:9201</c>.</summary>
    public string RemoteAddress { get; } = remoteAddress;
    /// <summary>Who dialed.</summary>
    public PeeringDirection Direction { get; } = direction;

    /// <summary>
    /// The application a client named itself with (the WebSocket <c>X-Application-Name</c> header, checked by the
    /// transport; the gateway passes <c>unknown</c> for a client without one); null for peerings and for clients attached
    /// without a name.
    /// </summary>
    public string? Application { get; init; }

    /// <summary>Id and address, for the log.</summary>
    public override string ToString() => $"{EndpointId} ({RemoteAddress})";
}
