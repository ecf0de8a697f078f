using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Spillway.Telemetry.Export;

namespace Spillway.Bench.Quick;

internal sealed record ScrapeResult(MetricsExporterKind Exporter, int Peers, int Series, int ExpectedSeries, double Milliseconds, double MinMilliseconds, long Bytes, double AllocatedBytes, double CpuMilliseconds);

/// <summary>
/// /metrics of a real Kestrel host over loopback at a given number of named peers, one exporter at a
/// time: scrapes to warm up (at least <see cref="WarmupSeconds"/> of them), then timed scrapes (body read to the end into
/// a buffer kept between scrapes, as Prometheus does: <see cref="ScrapeClient"/>). Allocation is the whole process's
/// (server and HttpClient share it) per scrape; BenchmarkDotNet's ScrapeBenchmarks gives the same with its own statistics.
/// </summary>
internal static class ScrapeAtScale
{
    /// <summary>Least time spent scraping before the timed scrapes (besides a least number of scrapes).</summary>
    public const double WarmupSeconds = 2;

    /// <summary>Most time spent warming up one host.</summary>
    public const double MaxWarmupSeconds = 10;

    /// <summary>The <c>scrape</c> mode: <see cref="MeasureAsync"/> R times in a row, one line each, then the median.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (peers, exporter, rounds) = (1000, MetricsExporterKind.OpenTelemetry, 5);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--peers": peers = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--exporter": exporter = MetricsExporter.Parse(args[++i]); break;
                case "--rounds": rounds = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown argument {args[i]}; usage: scrape [--peers N] [--exporter opentelemetry|prometheus-net] [--rounds R]");
                    return 2;
            }
        }
        var (medians, cpus) = (new List<double>(), new List<double>());
        for (var r = 0; r < rounds; r++)
        {
            var result = await MeasureAsync(exporter, peers);
            medians.Add(result.Milliseconds);
            cpus.Add(result.CpuMilliseconds);
            Console.WriteLine($"{exporter.ToSettingValue()} {peers} peers round {r + 1}: median {Stats.F(result.Milliseconds, 3)} ms, min {Stats.F(result.MinMilliseconds, 3)} ms, cpu {Stats.F(result.CpuMilliseconds, 3)} ms, " +
                $"{Stats.Bytes(result.AllocatedBytes)} allocated, {result.Series} of {result.ExpectedSeries} series");
        }
        Console.WriteLine($"median of round medians: {Stats.F(Stats.Median(medians), 3)} ms; process CPU per scrape, median of rounds: {Stats.F(Stats.Median(cpus), 3)} ms");
        return 0;
    }

    /// <summary>
    /// Scrapes until the exporter's per-series code is past tiered JIT (tier 0 and the instrumented tier run several
    /// times slower), as it is on a node scraped for hours: at least <paramref name="count"/> scrapes and
    /// <see cref="WarmupSeconds"/>, then blocks of 10 until a block's median is no better than 0.95x the best so far
    /// (at most <see cref="MaxWarmupSeconds"/>). Ten scrapes were not enough: 1,000 peers measured 7-9 ms, against
    /// 2-2.5 ms with everything compiled up front (DOTNET_TieredCompilation=0).
    /// </summary>
    private static async Task WarmUpAsync(ScrapeClient scraper, string url, int count)
    {
        var start = Stopwatch.GetTimestamp();
        double Elapsed() => Stopwatch.GetElapsedTime(start).TotalSeconds;
        for (var i = 0; i < count || Elapsed() < WarmupSeconds; i++) await scraper.ScrapeAsync(url);
        var best = double.MaxValue;
        var block = new List<double>(10);
        while (Elapsed() < MaxWarmupSeconds)
        {
            block.Clear();
            for (var i = 0; i < 10; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await scraper.ScrapeAsync(url);
                block.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            var median = Stats.Median(block);
            if (median >= 0.95 * best) return;
            best = Math.Min(best, median);
        }
    }

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
        using var client = new HttpClient();
        var scraper = new ScrapeClient(client);
        var body = await client.GetStringAsync(url);
        var series = body.Split('\n').Count(l => l.StartsWith("spillway_", StringComparison.Ordinal));
        // Not thrown: an exporter that caps its series (OpenTelemetry's per-metric cardinality limit)
        // is a result to show, with the time per series it did serve.
        var (warm, timed) = peers >= 10_000 ? (3, 10) : peers >= 1000 ? (10, 40) : (20, 100);
        await WarmUpAsync(scraper, url, warm);
        var times = new List<double>();
        long bytes = 0;
        var a0 = GC.GetTotalAllocatedBytes(precise: true);
        // CPU time of the whole process (server, client, GC): far less sensitive than wall time to other load.
        using var self = Process.GetCurrentProcess();
        var cpu0 = self.TotalProcessorTime;
        for (var i = 0; i < timed; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            bytes = await scraper.ScrapeAsync(url);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        var allocated = (double)(GC.GetTotalAllocatedBytes(precise: true) - a0) / timed;
        self.Refresh();
        var cpu = (self.TotalProcessorTime - cpu0).TotalMilliseconds / timed;
        await app.StopAsync();
        return new ScrapeResult(exporter, peers, series, source.Series, Stats.Median(times), times.Min(), bytes, allocated, cpu);
    }
}
