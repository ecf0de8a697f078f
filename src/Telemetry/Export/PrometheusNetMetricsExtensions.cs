using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace Spillway.Telemetry.Export;

/// <summary>Wires the prometheus-net exporter (the alternative): own registry, GET /metrics written in one buffer.</summary>
public static class PrometheusNetMetricsExtensions
{
    public const string DefaultPath = Spillway.Engine.SpillwayRoutes.Metrics;
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Registers <see cref="PrometheusNetMetrics"/> over a <see cref="ScrapeSnapshot"/> of <paramref name="source"/>.</summary>
    public static IServiceCollection AddSpillwayPrometheusNetMetrics(this IServiceCollection services, ITelemetrySource source)
    {
        services.AddSpillwayScrapeSnapshot(source);
        services.TryAddSingleton(sp => new PrometheusNetMetrics(sp.GetRequiredService<ScrapeSnapshot>()));
        return services;
    }

    /// <summary>Registers <see cref="PrometheusNetMetrics"/> over <paramref name="snapshot"/>.</summary>
    public static IServiceCollection AddSpillwayPrometheusNetMetrics(this IServiceCollection services, ScrapeSnapshot snapshot)
    {
        services.AddSpillwayScrapeSnapshot(snapshot);
        services.TryAddSingleton(sp => new PrometheusNetMetrics(sp.GetRequiredService<ScrapeSnapshot>()));
        return services;
    }

    /// <summary>
    /// Maps GET <paramref name="path"/> (default <c>/metrics</c>) to the text exposition of <see cref="PrometheusNetMetrics.Registry"/>.
    /// The text is rendered into memory first and sent in one write with a Content-Length (no Nagle/delayed-ACK stall).
    /// </summary>
    public static IEndpointConventionBuilder MapSpillwayPrometheusNetMetrics(this IEndpointRouteBuilder endpoints, string path = DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var metrics = endpoints.ServiceProvider.GetRequiredService<PrometheusNetMetrics>();
        var snapshot = endpoints.ServiceProvider.GetRequiredService<ScrapeSnapshot>();
        return endpoints.MapGet(path, new RequestDelegate(context =>
        {
            snapshot.MarkStale(); // this scrape reads values of this moment (see ScrapeSnapshot.MarkStale)
            return WriteAsync(metrics.Registry, context);
        }));
    }

    /// <summary>Renders <paramref name="registry"/> in the Prometheus text format and writes it as one buffered response.</summary>
    public static async Task WriteAsync(CollectorRegistry registry, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.RequestAborted;
        using var buffer = new MemoryStream(16 * 1024);
        await registry.CollectAndExportAsTextAsync(buffer, ExpositionFormat.PrometheusText, ct).ConfigureAwait(false);

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = buffer.Length;
        response.Headers.CacheControl = "no-cache";
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct).ConfigureAwait(false);
    }
}
