namespace Spillway.Telemetry.Export;

/// <summary>The /peers document of one node (polled by <c>top</c>); JSON via <see cref="PeersReportJson"/>.</summary>
/// <param name="Node">This node's name.</param>
/// <param name="Endpoint">This node's endpoint id.</param>
/// <param name="Peers">Peerings, named or not.</param>
/// <param name="Clients">WebSocket clients.</param>
public sealed record PeersReport(
    string Node,
    string Endpoint,
    IReadOnlyList<PeerReportRow> Peers,
    IReadOnlyList<PeerReportRow> Clients);
