namespace Spillway.Telemetry.Export;

/// <summary>One peering (or WebSocket client) in the /peers document.</summary>
/// <param name="Endpoint">The remote endpoint id.</param>
/// <param name="Name">The remote node name once named (docs/design.md §7), else null.</param>
/// <param name="Direction"><see cref="Initiated"/> or <see cref="Accepted"/>.</param>
/// <param name="Address">The remote address (host:port).</param>
/// <param name="Capacity">Send-buffer capacity, messages.</param>
/// <param name="Policy">Overflow policy, snake_case (<c>drop_oldest</c>, <c>drop_newest</c>, <c>disconnect</c>, ...).</param>
/// <param name="Queued">Messages queued now.</param>
/// <param name="RecentMax">Highest queued within the recent stats window.</param>
/// <param name="Overflows">Overflows so far.</param>
/// <param name="Disconnects">Disconnect-policy teardowns so far.</param>
/// <param name="Application">For a WebSocket client, the application it named itself with (<c>unknown</c> without one); null for peerings.</param>
public sealed record PeerReportRow(
    string Endpoint,
    string? Name,
    string Direction,
    string Address,
    int Capacity,
    string Policy,
    int Queued,
    int RecentMax,
    long Overflows,
    long Disconnects,
    string? Application = null)
{
    public const string Initiated = "initiated";
    public const string Accepted = "accepted";
}
