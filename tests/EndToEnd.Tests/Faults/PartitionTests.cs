using System.Diagnostics;
using Xunit.Abstractions;

namespace Spillway.EndToEnd.Tests.Faults;

/// <summary>
/// Faults of a real network, in network namespaces of the test's own: worker-1 alone in namespace A, manager and
/// logger in namespace B, one veth link between them.
/// </summary>
public sealed class PartitionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_silent_partition_is_seen_as_heartbeat_timeouts_and_healing_it_re_peers_and_names_again()
    {
        await using var net = await NamespacePair.CreateAsync();
        FaultNode[] nodes =
        [
            new("worker-1", "worker", NamespacePair.AddressA, 9201, 9101, net.A),
            new("manager", "manager", NamespacePair.AddressB, 9202, 9102, net.B),
            new("logger", "logger", NamespacePair.AddressB, 9203, 9103, net.B),
        ];
        await using var cluster = new NodeProcessSet("partition", nodes);
        foreach (var n in nodes) cluster.Start(n.Name);
        await cluster.WaitUntilNamedAsync("worker-1", ["manager", "logger"], Bound);
        await cluster.WaitUntilNamedAsync("manager", ["worker-1", "logger"], Bound);
        await cluster.WaitUntilNamedAsync("logger", ["worker-1", "manager"], Bound);

        // No FIN, no RST: only the silence tells.
        await net.CutAsync();
        var sinceCut = Stopwatch.StartNew();
        var seen = new List<string>();
        foreach (var (node, peer) in new[] { ("worker-1", "manager"), ("worker-1", "logger"), ("manager", "worker-1"), ("logger", "worker-1") })
            seen.Add(await cluster.WaitForLogAsync(node, Bound, $"{node}: lost {peer} (", "heartbeat timeout"));
        output.WriteLine($"all four heartbeat timeouts logged within {sinceCut.Elapsed.TotalSeconds:F1} s of the cut:\n  " + string.Join("\n  ", seen));
        // The peering inside namespace B never crossed the link and is untouched.
        Assert.DoesNotContain(cluster.LogLines("logger"), l => l.Contains("lost manager", StringComparison.Ordinal));

        await net.RestoreAsync();
        var sinceRestore = Stopwatch.StartNew();
        await cluster.WaitUntilNamedAsync("worker-1", ["manager", "logger"], Bound);
        await cluster.WaitUntilNamedAsync("manager", ["worker-1"], Bound);
        await cluster.WaitUntilNamedAsync("logger", ["worker-1"], Bound);
        output.WriteLine($"re-peered and named on every side {sinceRestore.Elapsed.TotalSeconds:F1} s after the link came back");
    }
}
