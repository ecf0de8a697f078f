using Prometheus;
using Spillway.Telemetry.Export;

namespace Spillway.Telemetry.Tests.Export;

/// <summary>The prometheus-net registry without HTTP.</summary>
public sealed class PrometheusNetMetricsTests
{
    private static async Task<PrometheusText.Exposition> CollectAsync(CollectorRegistry registry)
    {
        using var buffer = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(buffer, ExpositionFormat.PrometheusText);
        return PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public async Task A_counter_that_goes_down_is_recreated_with_the_new_value()
    {
        var source = new TestTelemetrySource(Snapshots.LoggerLeft);
        var metrics = new PrometheusNetMetrics(new ScrapeSnapshot(source, freshness: TimeSpan.Zero));
        ExporterScrapeTests.AssertKeys(Snapshots.LoggerLeftKeys, await CollectAsync(metrics.Registry));

        source.Set(Snapshots.Sample);
        ExporterScrapeTests.AssertKeys(Snapshots.SampleKeys, await CollectAsync(metrics.Registry));
    }

    [Fact]
    public async Task The_registry_is_its_own_and_holds_only_spillway_families()
    {
        var metrics = new PrometheusNetMetrics(new ScrapeSnapshot(new TestTelemetrySource(Snapshots.Sample)));
        Assert.NotSame(Metrics.DefaultRegistry, metrics.Registry);
        var scrape = await CollectAsync(metrics.Registry);
        Assert.All(scrape.Families.Keys, f => Assert.StartsWith("spillway_", f));
        ExporterScrapeTests.AssertKeys(Snapshots.SampleKeys, scrape);
    }
}
