using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Spillway.Telemetry.Export;

namespace Spillway.Bench.Quick;

internal sealed record ScrapeResult(MetricsExporterKind Exporter, int Peers, int Series, int ExpectedSeries, double Milliseconds, double MinMilliseconds, long Bytes, double AllocatedBytes);

/// <summary>
/// /metrics of a real Kestrel host over loopback at a given number of named peers, one exporter at a
/// time: a few scrapes to warm up, then timed scrapes (body read to the end). Allocation is the whole
/// process's (server and HttpClient share it) per scrape; BenchmarkDotNet's ScrapeBenchmarks gives
/// the same with its own statistics.
/// </summary>
internal static class ScrapeAtScale
{
    public static async Task<ScrapeResult> MeasureAsync(MetricsExporterKind exporter, int peers)
    {
        var source = new NamedPeersSource(peers);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSpillwayMetrics(exporter, source);
        await using var app = builder.Build();
        app.MapSpillwayMetrics(exporter);
        await app.StartAsync();
        var url = app.Urls.First() + "/metrics";
        using var http = new HttpClient();
        var body = await http.GetStringAsync(url);
        var series = body.Split('\n').Count(l => l.StartsWith("spillway_", StringComparison.Ordinal));
        // Not thrown: an exporter that caps its series (OpenTelemetry's per-metric cardinality limit)
        // is a result to show, with the time per series it did serve.
        var (warm, timed) = peers >= 10_000 ? (3, 10) : peers >= 1000 ? (10, 40) : (20, 100);
        for (var i = 0; i < warm; i++) await http.GetByteArrayAsync(url);
        var times = new List<double>();
        long bytes = 0;
        var a0 = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < timed; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            bytes = (await http.GetByteArrayAsync(url)).Length;
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        var allocated = (double)(GC.GetTotalAllocatedBytes(precise: true) - a0) / timed;
        await app.StopAsync();
        return new ScrapeResult(exporter, peers, series, source.Series, Stats.Median(times), times.Min(), bytes, allocated);
    }
}
