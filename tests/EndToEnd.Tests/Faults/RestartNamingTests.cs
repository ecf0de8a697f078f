using System.Diagnostics;
using Xunit.Abstractions;

namespace Spillway.EndToEnd.Tests.Faults;

/// <summary>
/// The operator's scenario of issue 10: manager, a logger reading 300 msg/s and worker-1 as separate processes
/// with the demo's buffer settings; worker-1 is killed with SIGKILL and started again at once, so its new
/// peerings arrive before the old ones are seen dead. Every peer must name the new worker-1 again.
/// </summary>
public sealed class RestartNamingTests(ITestOutputHelper output)
{
    /// <summary>Generous: the design bound is 10 s after the restart; this only keeps a broken build from hanging.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_worker_killed_with_signal_9_and_restarted_is_named_again_on_every_peer_with_counters_continuing()
    {
        var ports = FreePorts.Reserve(6);
        FaultNode[] nodes =
        [
            new("manager", "manager", "127.0.0.1", ports[0], ports[1]),
            new("logger", "logger", "127.0.0.1", ports[2], ports[3], InboundMessagesPerSecond: 300),
            new("worker-1", "worker", "127.0.0.1", ports[4], ports[5]),
        ];
        await using var cluster = new NodeProcessSet("restart", nodes);
        foreach (var n in nodes) cluster.Start(n.Name);
        await cluster.WaitUntilNamedAsync("worker-1", ["manager", "logger"], Bound);

        for (var round = 1; round <= 2; round++)
        {
            var before = await OverflowsForWorkerAsync(cluster);
            await cluster.KillAsync("worker-1");
            cluster.Start("worker-1");
            var sinceRestart = Stopwatch.StartNew();
            await cluster.WaitUntilNamedAsync("worker-1", ["manager", "logger"], Bound);
            output.WriteLine($"round {round}: worker-1 named on manager and logger {sinceRestart.Elapsed.TotalSeconds:F1} s after its restart");

            // The peers' counters for worker-1 continue from their totals across the new endpoint id.
            var after = await OverflowsForWorkerAsync(cluster);
            foreach (var (observer, value) in before)
                Assert.True(after[observer] >= value, $"{observer}: overflows for worker-1 went from {value} to {after[observer]}");
        }
    }

    private static async Task<Dictionary<string, double>> OverflowsForWorkerAsync(NodeProcessSet cluster)
    {
        var result = new Dictionary<string, double>();
        foreach (var observer in new[] { "manager", "logger" })
        {
            var samples = await cluster.MetricsAsync(observer);
            result[observer] = samples.Single(s => s.Name == "spillway_peer_buffer_overflows_total" && s.Label("peer") == "worker-1").Value;
        }
        return result;
    }
}
