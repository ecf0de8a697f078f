using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Spillway.Telemetry.Export;

namespace Spillway.Bench;

/// <summary>
/// One whole scrape of a node with 10, 100, 1000 or 10,000 named peers (the design's anchor for 1000:
/// "a few ms in either exporter"): an HTTP GET of /metrics over loopback from a real Kestrel host, body
/// read to the end into a buffer kept between scrapes, as Prometheus does (<see cref="Quick.ScrapeClient"/>). N peers
/// give 5N per-peer series plus the three WebSocket aggregates. prometheus-net is the baseline.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class ScrapeBenchmarks
{
    [Params(10, 100, 1000, 10_000)]
    public int Peers { get; set; }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithId("Short").WithToolchain(BenchProjectGenerator.Toolchain).WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15));
            // The generated project's build took over BenchmarkDotNet's default 2 minutes on the shared 2-core machine.
            WithBuildTimeout(TimeSpan.FromMinutes(10));
        }
    }

    private WebApplication _openTelemetry = null!;
    private WebApplication _prometheusNet = null!;
    private HttpClient _http = null!;
    private Quick.ScrapeClient _scraper = null!;
    private string _openTelemetryUrl = "";
    private string _prometheusNetUrl = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        (_openTelemetry, _openTelemetryUrl) = await StartAsync(MetricsExporterKind.OpenTelemetry);
        (_prometheusNet, _prometheusNetUrl) = await StartAsync(MetricsExporterKind.PrometheusNet);
        _http = new HttpClient();
        _scraper = new Quick.ScrapeClient(_http);
        // Both must serve all 5003 series, or the comparison means nothing.
        foreach (var url in new[] { _openTelemetryUrl, _prometheusNetUrl })
        {
            var body = await _http.GetStringAsync(url);
            var series = body.Split('\n').Count(l => l.StartsWith("spillway_", StringComparison.Ordinal));
            // An exporter that caps series per metric (OpenTelemetry's cardinality limit, before the exporter's view
            // raised it to the source's bound) shows here: not hidden.
            if (series != Peers * 5 + 3) Console.WriteLine($"// WARNING {url} served {series} spillway series, expected {Peers * 5 + 3}");
        }
    }

    private async Task<(WebApplication, string)> StartAsync(MetricsExporterKind kind)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSpillwayMetrics(kind, new NamedPeersSource(Peers));
        var app = builder.Build();
        app.MapSpillwayMetrics(kind);
        await app.StartAsync();
        return (app, app.Urls.First() + "/metrics");
    }

    [Benchmark(Baseline = true)]
    public async Task<int> PrometheusNet_Scrape() => await _scraper.ScrapeAsync(_prometheusNetUrl);

    [Benchmark]
    public async Task<int> OpenTelemetry_Scrape() => await _scraper.ScrapeAsync(_openTelemetryUrl);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _http.Dispose();
        await _openTelemetry.DisposeAsync();
        await _prometheusNet.DisposeAsync();
    }
}
