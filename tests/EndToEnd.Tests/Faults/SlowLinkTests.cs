using Xunit.Abstractions;

namespace Spillway.EndToEnd.Tests.Faults;

/// <summary>
/// A slow consumer made by the network alone: the logger, reading as fast as it can (no read-rate limit), sits in
/// namespace B behind a token-bucket link; manager and workers are in namespace A.
/// </summary>
public sealed class SlowLinkTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Two workers publish 600 logs/s of about 100 bytes each to the logger (about 1 Mbit/s with the manager's
    /// logs); 256 kbit/s carries a quarter of that. (5 Mbit/s would carry it all: the bucket must be slower than the load.)
    /// </summary>
    private const string Rate = "256kbit";

    [Fact]
    public async Task Behind_a_tbf_link_the_workers_buffers_to_the_logger_fill_and_overflow_while_the_others_stay_clear()
    {
        await using var net = await NamespacePair.CreateAsync();
        FaultNode[] nodes =
        [
            new("manager", "manager", NamespacePair.AddressA, 9201, 9101, net.A),
            new("worker-1", "worker", NamespacePair.AddressA, 9202, 9102, net.A),
            new("worker-2", "worker", NamespacePair.AddressA, 9203, 9103, net.A),
            new("logger", "logger", NamespacePair.AddressB, 9204, 9104, net.B),
        ];
        await using var cluster = new NodeProcessSet("slowlink", nodes);
        await net.LimitAToBAsync(Rate);
        foreach (var n in nodes) cluster.Start(n.Name);

        foreach (var worker in new[] { "worker-1", "worker-2" })
        {
            var samples = await Eventually.UntilAsync($"{worker}'s buffer to the logger to overflow", Bound, async () =>
            {
                var s = await cluster.MetricsAsync(worker);
                var overflows = s.SingleOrDefault(x => x.Name == "spillway_peer_buffer_overflows_total" && x.Label("peer") == "logger");
                return (overflows is { Value: > 0 }, s, overflows?.ToString() ?? "logger not named yet");
            }, cluster.Diagnostics);
            double Value(string name, string peer) => samples.Single(x => x.Name == name && x.Label("peer") == peer).Value;
            var capacity = Value("spillway_peer_buffer_capacity_messages", "logger");
            // The buffer was full when it overflowed (recent max at capacity) and the peering survived it (drop_oldest).
            Assert.Equal(capacity, Value("spillway_peer_buffer_recent_max_messages", "logger"));
            // The same worker's peering with the manager, on its own side of the link, never overflowed.
            Assert.Equal(0, Value("spillway_peer_buffer_overflows_total", "manager"));
            output.WriteLine($"{worker}: {string.Join("; ", samples.Where(x => x.Label("peer") == "logger"))}");
        }
        // Slow is not dead: no peering across the link was lost to a heartbeat timeout.
        foreach (var n in nodes)
            Assert.DoesNotContain(cluster.LogLines(n.Name), l => l.Contains("heartbeat timeout", StringComparison.Ordinal));
    }
}
