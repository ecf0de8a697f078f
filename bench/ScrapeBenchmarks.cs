using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Spillway.Telemetry.Export;

namespace Spillway.Bench;

/// <summary>
/// One whole scrape of a node with 1000 named peers (DESIGN section 9's anchor: "a few ms in either
/// exporter"): an HTTP GET of /metrics over loopback from a real Kestrel host, body read to the end.
/// 1000 peers give 5000 per-peer series plus the three WebSocket aggregates. prometheus-net is the baseline.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class ScrapeBenchmarks
{
    public const int Peers = 1000;

    private sealed class Config : ManualConfig
    {
        public Config() =>
            AddJob(Job.Default.WithId("Short").WithToolchain(BenchProjectGenerator.Toolchain).WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15));
    }

    /// <summary>A node's values for 1000 peers, the same on every scrape.</summary>
    private sealed class ThousandPeers : ITelemetrySource
    {
        public void Fill(TelemetrySnapshot snapshot)
        {
            snapshot.NodeName = "worker-1";
            for (var i = 0; i < Peers; i++)
            {
                var name = $"peer-{i:D4}";
                snapshot.PeerBuffers.Add(new PeerBufferGauges(name, i % 97, i % 301, 8192));
                snapshot.PeerOverflows.Add(new PeerCounter(name, i * 7L));
                snapshot.BackpressureDisconnects.Add(new PeerCounter(name, i % 3));
            }
            snapshot.WebSocketClients = 2;
        }
    }

    private WebApplication _openTelemetry = null!;
    private WebApplication _prometheusNet = null!;
    private HttpClient _http = null!;
    private string _openTelemetryUrl = "";
    private string _prometheusNetUrl = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        (_openTelemetry, _openTelemetryUrl) = await StartAsync(MetricsExporterKind.OpenTelemetry);
        (_prometheusNet, _prometheusNetUrl) = await StartAsync(MetricsExporterKind.PrometheusNet);
        _http = new HttpClient();
        // Both must serve all 5003 series, or the comparison means nothing.
        foreach (var url in new[] { _openTelemetryUrl, _prometheusNetUrl })
        {
            var body = await _http.GetStringAsync(url);
            var series = body.Split('\n').Count(l => l.StartsWith("spillway_", StringComparison.Ordinal));
            if (series != Peers * 5 + 3) throw new InvalidOperationException($"{url} served {series} spillway series, expected {Peers * 5 + 3}");
        }
    }

    private static async Task<(WebApplication, string)> StartAsync(MetricsExporterKind kind)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSpillwayMetrics(kind, new ThousandPeers());
        var app = builder.Build();
        app.MapSpillwayMetrics(kind);
        await app.StartAsync();
        return (app, app.Urls.First() + "/metrics");
    }

    [Benchmark(Baseline = true)]
    public async Task<int> PrometheusNet_Scrape1000Peers() => (await _http.GetByteArrayAsync(_prometheusNetUrl)).Length;

    [Benchmark]
    public async Task<int> OpenTelemetry_Scrape1000Peers() => (await _http.GetByteArrayAsync(_openTelemetryUrl)).Length;

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _http.Dispose();
        await _openTelemetry.DisposeAsync();
        await _prometheusNet.DisposeAsync();
    }
}
