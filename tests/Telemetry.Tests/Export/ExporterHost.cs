using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Spillway.Telemetry.Export;

namespace Spillway.Telemetry.Tests.Export;

/// <summary>
/// One exporter in a real Kestrel host on 127.0.0.1:0, registered and mapped the way the node host does it
/// (<see cref="MetricsExporter.AddSpillwayMetrics"/> / <see cref="MetricsExporter.MapSpillwayMetrics"/>).
/// With a <see cref="FakeTimeProvider"/> each <see cref="ScrapeAsync"/> first moves time past the freshness window.
/// </summary>
internal sealed class ExporterHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeTimeProvider? _time;

    private ExporterHost(WebApplication app, FakeTimeProvider? time, RecordingLoggerProvider logs, Uri address)
    {
        _app = app;
        _time = time;
        Logs = logs;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }
    public HttpClient Client { get; }
    public RecordingLoggerProvider Logs { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="useFakeTime">
    /// true: the snapshot runs on a <see cref="FakeTimeProvider"/> advanced before each scrape; false: the registration
    /// is left entirely to <see cref="MetricsExporter.AddSpillwayMetrics"/> (system time, default freshness).
    /// </param>
    public static async Task<ExporterHost> StartAsync(MetricsExporterKind kind, ITelemetrySource source, bool useFakeTime = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var logs = new RecordingLoggerProvider(LogLevel.Information);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);

        FakeTimeProvider? time = null;
        if (useFakeTime)
        {
            time = new FakeTimeProvider();
            // Registered before AddSpillwayMetrics, which then keeps it (TryAdd); the fake time stays out of DI.
            builder.Services.AddSingleton(sp => new ScrapeSnapshot(source, sp.GetRequiredService<ILogger<ScrapeSnapshot>>(), time));
        }
        builder.Services.AddSpillwayMetrics(kind, source);

        var app = builder.Build();
        app.MapSpillwayMetrics(kind);
        await app.StartAsync();
        var address = new Uri(app.Urls.Single());
        return new ExporterHost(app, time, logs, address);
    }

    /// <summary>GET /metrics; asserts 200 and returns the body.</summary>
    public async Task<string> ScrapeAsync()
    {
        _time?.Advance(TimeSpan.FromSeconds(1));
        using var response = await Client.GetAsync("/metrics");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /metrics: {(int)response.StatusCode} {body}");
        // An exposition without any family is an empty body (the OpenTelemetry exporter then sends no Content-Type).
        if (body.Length != 0)
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    public async Task<PrometheusText.Exposition> ScrapeParsedAsync() => PrometheusText.Parse(await ScrapeAsync());

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
