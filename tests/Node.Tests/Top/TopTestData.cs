using Spillway.Node.Top;
using Spillway.Telemetry.Export;

namespace Spillway.Node.Tests.Top;

/// <summary>Hand-built /peers rows and reports for the top tests.</summary>
internal static class TopTestData
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static PeerReportRow Peer(
        string? name,
        int queued = 0,
        int capacity = 1000,
        long overflows = 0,
        string endpoint = "ep-1",
        string address = "127.0.0.1:40000",
        string direction = PeerReportRow.Initiated,
        string policy = "drop_oldest",
        int recentMax = 0,
        long disconnects = 0) =>
        new(endpoint, name, direction, address, capacity, policy, queued, recentMax, overflows, disconnects);

    public static PeersReport Report(string node, params PeerReportRow[] peers) =>
        new(node, "ep-" + node, peers, []);

    public static NodeStatus Up(string node, DateTimeOffset at, params PeerReportRow[] peers) =>
        NodeStatus.Up(node, Report(node, peers), at);
}
