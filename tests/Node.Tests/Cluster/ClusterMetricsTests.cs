using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Telemetry.Export;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Tests.Cluster;

/// <summary>Issue 3's end-to-end behaviours over real sockets and real HTTP scrapes of /metrics.</summary>
public class ClusterMetricsTests
{
    private const string Load = "load/";
    /// <summary>Subscribed after <see cref="Load"/>: once a publisher offers a probe, it knows the load subscription too.</summary>
    private const string Probe = "probe/";
    private static readonly Value Payload = Value.Of(new string('p', 200));

    [Fact]
    public async Task A_three_node_cluster_exports_exactly_the_named_series()
    {
        await using var cluster = new TestCluster(("manager", NodeRole.Manager, 0, null), ("logger", NodeRole.Logger, 0, null), ("worker-1", NodeRole.Worker, 0, null));
        foreach (var n in new[] { "logger", "manager", "worker-1" }) await cluster.StartAsync(n);
        await cluster.WaitForNamesAsync("worker-1", "manager", "logger");
        await cluster.WaitForNamesAsync("manager", "logger", "worker-1");
        await cluster.WaitForNamesAsync("logger", "manager", "worker-1");

        foreach (var (node, peers) in new[] { ("worker-1", new[] { "logger", "manager" }), ("manager", ["logger", "worker-1"]), ("logger", ["manager", "worker-1"]) })
        {
            var text = await cluster.ScrapeTextAsync(node);
            var scrape = PrometheusText.Parse(text);
            var expected = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var peer in peers)
            {
                foreach (var family in new[] { MetricNames.PeerBufferMessages, MetricNames.PeerBufferRecentMaxMessages, MetricNames.PeerBufferCapacityMessages,
                             MetricNames.PeerBufferOverflowsTotal, MetricNames.PeerMessagesOfferedTotal, MetricNames.BackpressureDisconnectsTotal,
                             MetricNames.PeerMessagesDiscardedTotal })
                    expected.Add($"{family}{{node=\"{node}\",peer=\"{peer}\"}}");
            }
            foreach (var family in new[] { MetricNames.WebSocketClients, MetricNames.WebSocketClientBufferRecentMaxMessages, MetricNames.WebSocketClientBufferOverflowsTotal })
                expected.Add($"{family}{{app=\"unknown\",node=\"{node}\"}}");
            foreach (var reason in Spillway.Engine.Peering.RefusalReasonNames.All)
                expected.Add($"{MetricNames.ConnectionsRefusedTotal}{{node=\"{node}\",reason=\"{Spillway.Engine.Peering.RefusalReasonNames.ToLabel(reason)}\"}}");
            Assert.Equal(expected, new SortedSet<string>(scrape.WithPrefix("spillway_").Select(s => s.Series), StringComparer.Ordinal));
            foreach (var peer in peers)
            {
                Assert.Equal(8192, scrape.Value(MetricNames.PeerBufferCapacityMessages, ("node", node), ("peer", peer)));
                Assert.Equal(0, scrape.Value(MetricNames.PeerBufferOverflowsTotal, ("node", node), ("peer", peer)));
            }
            var promtool = await Promtool.CheckMetricsAsync(text);
            Assert.True(promtool.ExitCode == 0, $"promtool check metrics on {node}: {promtool.Output}");
        }
    }

    [Fact]
    public async Task A_stalled_consumer_under_drop_oldest_shows_the_exact_loss_in_the_scraped_counter_in_both_exporters()
    {
        var small = BufferSettings.Default with { PeerBufferSize = 50, PeerOverflowPolicy = OverflowPolicy.DropOldest };
        await using var cluster = new TestCluster(("logger", NodeRole.Logger, 100, small), ("worker-1", NodeRole.Worker, 0, small));
        await cluster.StartAsync("logger");
        await cluster.StartAsync("worker-1");
        await cluster.WaitForNamesAsync("worker-1", "logger");
        // Conservation counts every message pushed into the worker's buffer to the logger: the load and the
        // subscription probe (which the flood may evict under drop_oldest), and every delivery of either.
        long delivered = 0;
        var logger = cluster["logger"].Endpoint;
        logger.Subscribe(Load, (_, _) => Interlocked.Increment(ref delivered));
        logger.Subscribe(Probe, (_, _) => Interlocked.Increment(ref delivered));
        var worker = cluster["worker-1"].Endpoint;
        var loggerId = logger.Id;
        var pushed = 0;
        await Eventually.HoldsAsync(() => Task.FromResult(worker.Publish(Probe + "x", Value.None) == 1 && ++pushed > 0),
            () => Task.FromResult("the worker never learned the logger's subscription"));

        const int load = 600;
        for (var i = 0; i < load; i++) pushed += worker.Publish(Load + "x", Payload);
        Assert.Equal(load + 1, pushed);

        // Wait until the slow logger has read everything that was not lost.
        await Eventually.HoldsAsync(
            () => Task.FromResult(worker.TryGetPeeringStats(loggerId, out var s) && s.Queued == 0 && Interlocked.Read(ref delivered) + s.Overflows == pushed),
            () => Task.FromResult($"pushed {pushed}, delivered {Interlocked.Read(ref delivered)}, engine row {Row(worker, loggerId)}"), timeoutSeconds: 60);
        var engineLost = Row(worker, loggerId).Overflows;
        Assert.True(engineLost > 0, "the consumer was not slow enough to overflow");
        Assert.Equal(pushed, Interlocked.Read(ref delivered) + engineLost);

        var scrape = await cluster.ScrapeAsync("worker-1");
        Assert.Equal(engineLost, scrape.Value(MetricNames.PeerBufferOverflowsTotal, ("node", "worker-1"), ("peer", "logger")));
        Assert.Equal(50, scrape.Value(MetricNames.PeerBufferRecentMaxMessages, ("node", "worker-1"), ("peer", "logger")));
        Assert.Equal(0, scrape.Value(MetricNames.PeerBufferMessages, ("node", "worker-1"), ("peer", "logger")));
        // Offered: every push counted once, the load and probe included, exactly as the engine counts it.
        var engineOffered = Row(worker, loggerId).Offered;
        Assert.True(engineOffered >= pushed, $"offered {engineOffered} < pushed {pushed}");
        Assert.Equal(engineOffered, scrape.Value(MetricNames.PeerMessagesOfferedTotal, ("node", "worker-1"), ("peer", "logger")));

        // Parity: the prometheus-net exporter over the very same naming layer and engine state.
        await using var alternative = await StartExporterAsync(cluster["worker-1"].Telemetry, MetricsExporterKind.PrometheusNet);
        using var http = new HttpClient();
        var other = PrometheusText.Parse(await http.GetStringAsync(alternative.Urls.First() + "/metrics"));
        var again = await cluster.ScrapeAsync("worker-1");
        Assert.Equal(again.Keys("spillway_"), other.Keys("spillway_"));
        Assert.Equal(engineLost, other.Value(MetricNames.PeerBufferOverflowsTotal, ("node", "worker-1"), ("peer", "logger")));
        Assert.Equal(engineOffered, other.Value(MetricNames.PeerMessagesOfferedTotal, ("node", "worker-1"), ("peer", "logger")));
    }

    [Fact]
    public async Task Disconnect_policy_counts_the_teardown_and_the_overflow_counter_survives_re_peering()
    {
        var disconnect = BufferSettings.Default with { PeerBufferSize = 20, PeerOverflowPolicy = OverflowPolicy.Disconnect };
        await using var cluster = new TestCluster(("logger", NodeRole.Logger, 50, null), ("worker-1", NodeRole.Worker, 0, disconnect));
        await cluster.StartAsync("logger");
        await cluster.StartAsync("worker-1");
        SubscribeLoad(cluster["logger"].Endpoint, () => { });
        var worker = cluster["worker-1"].Endpoint;
        var loggerId = cluster["logger"].Endpoint.Id;

        for (var round = 1; round <= 2; round++)
        {
            await cluster.WaitForNamesAsync("worker-1", "logger");
            await Eventually.HoldsAsync(() => Task.FromResult(Offered(worker, loggerId)), () => Task.FromResult("no subscription yet"));
            for (var i = 0; i < 5000 && worker.TryGetPeer(loggerId, out _); i++) worker.Publish(Load + "x", Payload);

            var expectedRound = round;
            await Eventually.HoldsAsync(async () =>
                    (await cluster.ScrapeAsync("worker-1")).Value(MetricNames.BackpressureDisconnectsTotal, ("node", "worker-1"), ("peer", "logger")) == expectedRound,
                async () => string.Join("\n", (await cluster.ScrapeAsync("worker-1")).Keys("spillway_backpressure")));
            var scrape = await cluster.ScrapeAsync("worker-1");
            // Disconnect: exactly one overflow per peering; the total carries over the re-peering.
            Assert.Equal(round, scrape.Value(MetricNames.PeerBufferOverflowsTotal, ("node", "worker-1"), ("peer", "logger")));
        }
        // After the second re-peering the counters are still there, never lower.
        await cluster.WaitForNamesAsync("worker-1", "logger");
        var final = await cluster.ScrapeAsync("worker-1");
        Assert.Equal(2, final.Value(MetricNames.PeerBufferOverflowsTotal, ("node", "worker-1"), ("peer", "logger")));
        Assert.Equal(2, final.Value(MetricNames.BackpressureDisconnectsTotal, ("node", "worker-1"), ("peer", "logger")));
    }

    [Fact]
    public async Task A_peer_restarting_with_a_new_endpoint_id_continues_its_counters()
    {
        var small = BufferSettings.Default with { PeerBufferSize = 30, PeerOverflowPolicy = OverflowPolicy.DropNewest };
        await using var cluster = new TestCluster(("logger", NodeRole.Logger, 100, null), ("worker-1", NodeRole.Worker, 0, small));
        await cluster.StartAsync("worker-1");
        double lastTotal = 0;
        EndpointId? lastId = null;
        for (var life = 0; life < 2; life++)
        {
            await cluster.StartAsync("logger");
            var logger = cluster["logger"].Endpoint;
            Assert.NotEqual(lastId, logger.Id);
            lastId = logger.Id;
            SubscribeLoad(logger, () => { });
            await cluster.WaitForNamesAsync("worker-1", "logger");
            var atStart = (await cluster.ScrapeAsync("worker-1")).Value(MetricNames.PeerBufferOverflowsTotal, ("node", "worker-1"), ("peer", "logger"));
            Assert.Equal(lastTotal, atStart); // continues from its total, never back to zero

            var worker = cluster["worker-1"].Endpoint;
            await Eventually.HoldsAsync(() => Task.FromResult(Offered(worker, logger.Id)), () => Task.FromResult("no subscription yet"));
            for (var i = 0; i < 1000; i++) worker.Publish(Load + "x", Payload);
            var lost = Row(worker, logger.Id).Overflows;
            Assert.True(lost > 0);
            var scraped = (await cluster.ScrapeAsync("worker-1")).Value(MetricNames.PeerBufferOverflowsTotal, ("node", "worker-1"), ("peer", "logger"));
            Assert.Equal(lastTotal + lost, scraped);
            lastTotal = scraped!.Value;

            await cluster.StopAsync("logger");
            await Eventually.HoldsAsync(async () => (await cluster.ScrapeAsync("worker-1")).Find(MetricNames.PeerBufferMessages, ("peer", "logger")) is null,
                () => Task.FromResult("the departed logger's gauges are still exported"));
            var afterStop = await cluster.ScrapeAsync("worker-1");
            Assert.Equal(lastTotal, afterStop.Value(MetricNames.PeerBufferOverflowsTotal, ("node", "worker-1"), ("peer", "logger")));
        }
    }

    private static bool Offered(Spillway.Engine.Peering.SpillwayEndpoint from, EndpointId to) =>
        from.TryGetPeer(to, out _) && from.Publish(Probe + "x", Value.None) == 1;

    private static void SubscribeLoad(Spillway.Engine.Peering.SpillwayEndpoint endpoint, Action onLoad)
    {
        endpoint.Subscribe(Load, (_, _) => onLoad());
        endpoint.Subscribe(Probe, (_, _) => { });
    }

    private static Spillway.Engine.Peering.PeeringStats Row(Spillway.Engine.Peering.SpillwayEndpoint from, EndpointId to) =>
        from.TryGetPeeringStats(to, out var row) ? row : throw new InvalidOperationException("peering gone");

    private static async Task<WebApplication> StartExporterAsync(ITelemetrySource source, MetricsExporterKind kind)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSpillwayMetrics(kind, source);
        var app = builder.Build();
        app.MapSpillwayMetrics(kind);
        await app.StartAsync();
        return app;
    }
}
