using Microsoft.Extensions.Logging;
using Spillway.Telemetry.Export;
using Xunit.Abstractions;

namespace Spillway.Telemetry.Tests.Export;

/// <summary>Both exporters in real Kestrel hosts, scraped over HTTP.</summary>
public sealed class ExporterScrapeTests(ITestOutputHelper output)
{
    public static TheoryData<MetricsExporterKind> Kinds => new() { MetricsExporterKind.OpenTelemetry, MetricsExporterKind.PrometheusNet };

    private const string Prefix = "spillway_";

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Scrape_exports_exactly_the_snapshot(MetricsExporterKind kind)
    {
        var source = new TestTelemetrySource(Snapshots.Sample);
        await using var host = await ExporterHost.StartAsync(kind, source);

        string body = await host.ScrapeAsync();
        output.WriteLine(body);
        var scrape = PrometheusText.Parse(body);

        AssertKeys(Snapshots.SampleKeys, scrape);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Families_have_the_documented_types_and_help(MetricsExporterKind kind)
    {
        await using var host = await ExporterHost.StartAsync(kind, new TestTelemetrySource(Snapshots.Sample));
        var scrape = await host.ScrapeParsedAsync();

        var expected = new (string Name, string Type, string Help)[]
        {
            (MetricNames.PeerBufferMessages, "gauge", MetricNames.PeerBufferMessagesHelp),
            (MetricNames.PeerBufferRecentMaxMessages, "gauge", MetricNames.PeerBufferRecentMaxMessagesHelp),
            (MetricNames.PeerBufferOverflowsTotal, "counter", MetricNames.PeerBufferOverflowsHelp),
            (MetricNames.PeerMessagesOfferedTotal, "counter", MetricNames.PeerMessagesOfferedHelp),
            (MetricNames.BackpressureDisconnectsTotal, "counter", MetricNames.BackpressureDisconnectsHelp),
            (MetricNames.PeerMessagesDiscardedTotal, "counter", MetricNames.PeerMessagesDiscardedHelp),
            (MetricNames.PeerBufferCapacityMessages, "gauge", MetricNames.PeerBufferCapacityMessagesHelp),
            (MetricNames.WebSocketClients, "gauge", MetricNames.WebSocketClientsHelp),
            (MetricNames.WebSocketClientBufferRecentMaxMessages, "gauge", MetricNames.WebSocketClientBufferRecentMaxMessagesHelp),
            (MetricNames.WebSocketClientBufferOverflowsTotal, "counter", MetricNames.WebSocketClientBufferOverflowsHelp),
        };
        foreach (var (name, type, help) in expected)
        {
            Assert.True(scrape.Families.TryGetValue(name, out var family), $"family {name} missing");
            Assert.Equal(type, family.Type);
            Assert.Equal(help, family.Help);
            Assert.All(family.Samples, s => Assert.Equal(name, s.Name));
        }
        Assert.Equal(
            expected.Select(e => e.Name).Order(StringComparer.Ordinal),
            scrape.Families.Values.Where(f => f.Name.StartsWith(Prefix, StringComparison.Ordinal) && f.Samples.Count > 0)
                .Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Both_exporters_yield_identical_spillway_samples()
    {
        var source = new TestTelemetrySource(Snapshots.Sample);
        await using var otel = await ExporterHost.StartAsync(MetricsExporterKind.OpenTelemetry, source);
        await using var promNet = await ExporterHost.StartAsync(MetricsExporterKind.PrometheusNet, source);

        foreach (var fill in new Action<TelemetrySnapshot>[] { Snapshots.Sample, Snapshots.LoggerLeft, Snapshots.LoggerBack })
        {
            source.Set(fill);
            var a = (await otel.ScrapeParsedAsync()).Keys(Prefix);
            var b = (await promNet.ScrapeParsedAsync()).Keys(Prefix);
            Assert.NotEmpty(a);
            Assert.True(a.SetEquals(b),
                $"only OpenTelemetry:\n{string.Join('\n', a.Except(b))}\nonly prometheus-net:\n{string.Join('\n', b.Except(a))}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Departed_peer_gauges_vanish_and_listed_counters_stay(MetricsExporterKind kind)
    {
        var source = new TestTelemetrySource(Snapshots.Sample);
        await using var host = await ExporterHost.StartAsync(kind, source);
        AssertKeys(Snapshots.SampleKeys, await host.ScrapeParsedAsync());

        source.Set(Snapshots.LoggerLeft);
        var scrape = await host.ScrapeParsedAsync();
        AssertKeys(Snapshots.LoggerLeftKeys, scrape);
        Assert.DoesNotContain(scrape.WithPrefix(Prefix), s => s.Label("peer") == "logger-1" && !s.Name.EndsWith("_total", StringComparison.Ordinal));
        Assert.Equal(3, scrape.Value(MetricNames.PeerBufferOverflowsTotal, ("node", "worker-1"), ("peer", "logger-1")));
        Assert.Null(scrape.Find(MetricNames.PeerBufferOverflowsTotal, ("node", "worker-1"), ("peer", "proxy-1")));

        // Everything gone: only the per-application WebSocket series remain.
        source.Set(s => { s.NodeName = "worker-1"; s.WebSocketApps.Add(new WebSocketAppAggregates("unknown", 0, 0, 9)); });
        Assert.Equal(
            [
                """spillway_websocket_client_buffer_overflows_total{app="unknown",node="worker-1"} 9""",
                """spillway_websocket_client_buffer_recent_max_messages{app="unknown",node="worker-1"} 0""",
                """spillway_websocket_clients{app="unknown",node="worker-1"} 0""",
            ],
            (await host.ScrapeParsedAsync()).Keys(Prefix));

        // A peer that comes back gets its gauges again.
        source.Set(Snapshots.LoggerBack);
        AssertKeys(Snapshots.LoggerBackKeys, await host.ScrapeParsedAsync());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task No_scope_or_target_info_labels_on_spillway_series(MetricsExporterKind kind)
    {
        await using var host = await ExporterHost.StartAsync(kind, new TestTelemetrySource(Snapshots.Sample));
        var scrape = await host.ScrapeParsedAsync();

        Assert.NotEmpty(scrape.WithPrefix(Prefix));
        Assert.All(scrape.WithPrefix(Prefix), s =>
        {
            Assert.DoesNotContain(s.Labels.Keys, l => l.StartsWith("otel_", StringComparison.Ordinal));
            Assert.Subset(new HashSet<string> { "node", "peer", "app" }, s.Labels.Keys.ToHashSet());
        });
        Assert.DoesNotContain(scrape.Families.Keys, f => f is "target_info" || f.StartsWith("otel_", StringComparison.Ordinal));
        Assert.All(scrape.Families.Keys, f => Assert.StartsWith(Prefix, f)); // Spillway's families only
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Promtool_check_metrics_accepts_the_output(MetricsExporterKind kind)
    {
        await using var host = await ExporterHost.StartAsync(kind, new TestTelemetrySource(Snapshots.Sample));
        string body = await host.ScrapeAsync();

        var result = await Promtool.CheckMetricsAsync(body);
        Assert.True(result.ExitCode == 0 && result.Output.Trim().Length == 0,
            $"promtool check metrics: exit {result.ExitCode}\n{result.Output}\n--- body ---\n{body}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_throwing_source_still_gets_200_and_the_previous_values(MetricsExporterKind kind)
    {
        var source = new TestTelemetrySource(Snapshots.Sample);
        await using var host = await ExporterHost.StartAsync(kind, source);
        AssertKeys(Snapshots.SampleKeys, await host.ScrapeParsedAsync());

        source.FailWith(new InvalidOperationException("stats table on fire"));
        var scrape = await host.ScrapeParsedAsync(); // asserts 200
        AssertKeys(Snapshots.SampleKeys, scrape);
        Assert.DoesNotContain(scrape.Samples, s => s.Label("node") == "half-filled" || s.Label("peer") == "garbage");
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning
            && e.Category == typeof(ScrapeSnapshot).FullName
            && e.Exception?.Message == "stats table on fire");

        source.FailWith(null);
        source.Set(Snapshots.LoggerLeft);
        AssertKeys(Snapshots.LoggerLeftKeys, await host.ScrapeParsedAsync());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_source_that_never_fills_still_gets_200(MetricsExporterKind kind)
    {
        var source = new TestTelemetrySource();
        source.FailWith(new InvalidOperationException("not yet"));
        await using var host = await ExporterHost.StartAsync(kind, source);

        var scrape = await host.ScrapeParsedAsync();
        Assert.Empty(scrape.WithPrefix(Prefix));
        Assert.True(source.Fills >= 1);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Default_registration_refills_after_the_freshness_window(MetricsExporterKind kind)
    {
        var source = new TestTelemetrySource(Snapshots.Sample);
        await using var host = await ExporterHost.StartAsync(kind, source, useFakeTime: false);
        AssertKeys(Snapshots.SampleKeys, await host.ScrapeParsedAsync());

        source.Set(Snapshots.LoggerLeft);
        await Task.Delay(ScrapeSnapshot.DefaultFreshness * 3);
        AssertKeys(Snapshots.LoggerLeftKeys, await host.ScrapeParsedAsync());
    }

    [Fact]
    public async Task A_counter_that_goes_down_is_exported_as_reset_by_both()
    {
        var source = new TestTelemetrySource(Snapshots.LoggerLeft);
        await using var otel = await ExporterHost.StartAsync(MetricsExporterKind.OpenTelemetry, source);
        await using var promNet = await ExporterHost.StartAsync(MetricsExporterKind.PrometheusNet, source);
        await otel.ScrapeAsync();
        await promNet.ScrapeAsync();

        source.Set(Snapshots.Sample); // manager 50 -> 42, logger-1 3 -> 0, websocket overflows 9 -> 9
        AssertKeys(Snapshots.SampleKeys, await otel.ScrapeParsedAsync(), "OpenTelemetry");
        AssertKeys(Snapshots.SampleKeys, await promNet.ScrapeParsedAsync(), "prometheus-net");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_Prometheus_server_Accept_header_gets_the_same_samples(MetricsExporterKind kind)
    {
        await using var host = await ExporterHost.StartAsync(kind, new TestTelemetrySource(Snapshots.Sample));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        // What Prometheus 2.x sends: OpenMetrics preferred, text 0.0.4 accepted.
        request.Headers.TryAddWithoutValidation("Accept",
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        using var response = await host.Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        output.WriteLine($"Content-Type: {response.Content.Headers.ContentType}");
        output.WriteLine(body);
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("_created", body);
        AssertKeys(Snapshots.SampleKeys, PrometheusText.Parse(body), kind.ToString());
    }

    [Fact]
    public async Task A_thousand_peers_scrape_identically_through_both_exporters()
    {
        var source = new TestTelemetrySource(s =>
        {
            s.NodeName = "manager";
            for (int i = 0; i < 1000; i++)
            {
                s.PeerBuffers.Add(new PeerBufferGauges($"worker-{i}", i % 7, i % 13, 1024));
                s.PeerOverflows.Add(new PeerCounter($"worker-{i}", i * 3L));
                s.BackpressureDisconnects.Add(new PeerCounter($"worker-{i}", i % 2));
            }
            s.WebSocketApps.Add(new WebSocketAppAggregates("unknown", 2, 1, 5));
        });
        await using var otel = await ExporterHost.StartAsync(MetricsExporterKind.OpenTelemetry, source);
        await using var promNet = await ExporterHost.StartAsync(MetricsExporterKind.PrometheusNet, source);

        var a = (await otel.ScrapeParsedAsync()).Keys(Prefix);
        var b = (await promNet.ScrapeParsedAsync()).Keys(Prefix);
        Assert.Equal(5 * 1000 + 3, a.Count);
        Assert.True(a.SetEquals(b));

        foreach (var host in new[] { otel, promNet })
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < 10; i++)
                await host.ScrapeAsync();
            output.WriteLine($"{host.Address}: {watch.Elapsed.TotalMilliseconds / 10:F1} ms a scrape of 1000 peers");
        }
    }

    [Fact]
    public async Task One_OpenTelemetry_collect_fills_the_snapshot_once()
    {
        var source = new TestTelemetrySource(Snapshots.Sample);
        await using var host = await ExporterHost.StartAsync(MetricsExporterKind.OpenTelemetry, source);
        await host.ScrapeAsync();
        int before = source.Fills;
        await host.ScrapeAsync();
        Assert.Equal(1, source.Fills - before); // eight instrument callbacks, one Fill
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Concurrent_scrapes_all_succeed(MetricsExporterKind kind)
    {
        await using var host = await ExporterHost.StartAsync(kind, new TestTelemetrySource(Snapshots.Sample));
        var scrapes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => host.ScrapeParsedAsync()));
        Assert.All(scrapes, s => AssertKeys(Snapshots.SampleKeys, s));
    }

    [Fact]
    public async Task Two_OpenTelemetry_nodes_in_one_process_do_not_see_each_other()
    {
        var a = new TestTelemetrySource(Snapshots.Sample);
        var b = new TestTelemetrySource(s => { Snapshots.Sample(s); s.NodeName = "manager"; });
        await using var hostA = await ExporterHost.StartAsync(MetricsExporterKind.OpenTelemetry, a);
        await using var hostB = await ExporterHost.StartAsync(MetricsExporterKind.OpenTelemetry, b);

        var scrapeA = await hostA.ScrapeParsedAsync();
        var scrapeB = await hostB.ScrapeParsedAsync();
        AssertKeys(Snapshots.SampleKeys, scrapeA);
        Assert.All(scrapeB.WithPrefix(Prefix), s => Assert.Equal("manager", s.Label("node")));
        Assert.Equal(Snapshots.SampleKeys.Length, scrapeB.Keys(Prefix).Count);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Metrics_endpoint_answers_GET_only(MetricsExporterKind kind)
    {
        await using var host = await ExporterHost.StartAsync(kind, new TestTelemetrySource(Snapshots.Sample));
        using var response = await host.Client.PostAsync("/metrics", new StringContent(""));
        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task More_named_peers_than_the_sdk_default_cardinality_limit_are_all_served(MetricsExporterKind kind)
    {
        // 2,500 peers: above OpenTelemetry's default of 2,000 points per metric, which used to fold the rest into an
        // overflow series. The source declares its bound the way a 2,500-node layout does (names + "unknown").
        const int peers = 2500;
        var names = Enumerable.Range(0, peers).Select(i => $"peer-{i:D4}").ToArray();
        var source = new TestTelemetrySource(s =>
        {
            s.NodeName = "hub";
            for (var i = 0; i < names.Length; i++)
            {
                s.PeerBuffers.Add(new PeerBufferGauges(names[i], i, i + 1, 8192));
                s.PeerOverflows.Add(new PeerCounter(names[i], i * 3L));
                s.PeerOffered.Add(new PeerCounter(names[i], i * 5L));
                s.BackpressureDisconnects.Add(new PeerCounter(names[i], i % 4));
                s.PeerDiscarded.Add(new PeerCounter(names[i], i * 7L));
            }
            s.WebSocketApps.Add(new WebSocketAppAggregates("unknown", 1, 0, 0));
        }) { MaxPeerLabelValues = peers + 1 };
        await using var host = await ExporterHost.StartAsync(kind, source);

        var scrape = await host.ScrapeParsedAsync();

        var perPeer = new (string Family, Func<int, double> Value)[]
        {
            (MetricNames.PeerBufferMessages, i => i),
            (MetricNames.PeerBufferRecentMaxMessages, i => i + 1),
            (MetricNames.PeerBufferCapacityMessages, _ => 8192),
            (MetricNames.PeerBufferOverflowsTotal, i => i * 3),
            (MetricNames.PeerMessagesOfferedTotal, i => i * 5),
            (MetricNames.BackpressureDisconnectsTotal, i => i % 4),
            (MetricNames.PeerMessagesDiscardedTotal, i => i * 7),
        };
        foreach (var (family, value) in perPeer)
        {
            var samples = scrape.Samples.Where(x => x.Name == family).ToList();
            Assert.Equal(peers, samples.Count);
            var byPeer = samples.ToDictionary(x => x.Label(MetricNames.PeerLabel) ?? "(none)", x => x.Value, StringComparer.Ordinal);
            for (var i = 0; i < peers; i++)
                Assert.True(byPeer.TryGetValue(names[i], out var got) && got == value(i), $"{family}{{peer={names[i]}}}: {got}, want {value(i)}");
        }
        // Exactly those, plus the three WebSocket aggregates of app="unknown": nothing folded into an overflow series.
        Assert.Equal(peers * perPeer.Length + 3, scrape.WithPrefix(Prefix).Count());
        Assert.DoesNotContain(scrape.Samples, x => x.Labels.Keys.Any(k => k.Contains("overflow", StringComparison.Ordinal)));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Message.Contains("cardinality limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_source_exporting_more_peers_than_it_declared_is_logged_not_silent()
    {
        // Declares a small layout (limit: the SDK default of 2,000) but fills 2,100 peers: a bug in the source.
        var source = new TestTelemetrySource(s =>
        {
            s.NodeName = "hub";
            for (var i = 0; i < 2100; i++) s.PeerBuffers.Add(new PeerBufferGauges($"peer-{i:D4}", 1, 1, 8192));
        });
        await using var host = await ExporterHost.StartAsync(MetricsExporterKind.OpenTelemetry, source);

        await host.ScrapeAsync();
        await host.ScrapeAsync();

        var warnings = host.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("cardinality limit", StringComparison.Ordinal)).ToList();
        // Once, not once per family and scrape; the first family over the limit is named.
        var warning = Assert.Single(warnings);
        Assert.Contains("has 2100 series, more than the exporter's cardinality limit of 2000", warning.Message, StringComparison.Ordinal);
        Assert.StartsWith("spillway_peer_buffer_", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cardinality_limit_follows_the_layout_above_the_sdk_default()
    {
        Assert.Equal(OpenTelemetryMetrics.MinimumCardinalityLimit, OpenTelemetryMetrics.CardinalityLimit(0));
        Assert.Equal(2000, OpenTelemetryMetrics.CardinalityLimit(2000));
        Assert.Equal(2001, OpenTelemetryMetrics.CardinalityLimit(2001));
        Assert.Equal(10_001, OpenTelemetryMetrics.CardinalityLimit(10_001));
        Assert.Throws<ArgumentOutOfRangeException>(() => OpenTelemetryMetrics.CardinalityLimit(-1));
    }

    /// <summary>Asserts the spillway_* samples of <paramref name="scrape"/> are exactly <paramref name="expected"/>, with a readable diff.</summary>
    internal static void AssertKeys(IEnumerable<string> expected, PrometheusText.Exposition scrape, string what = "scrape")
    {
        var want = new SortedSet<string>(expected, StringComparer.Ordinal);
        var got = scrape.Keys(Prefix);
        Assert.True(want.SetEquals(got),
            $"{what}: missing:\n  {string.Join("\n  ", want.Except(got))}\nunexpected:\n  {string.Join("\n  ", got.Except(want))}");
    }
}
