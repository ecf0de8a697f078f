using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Spillway.Telemetry.Export;

/// <summary>Wires the OpenTelemetry exporter (the default): Spillway meter + Prometheus scraping endpoint.</summary>
public static class OpenTelemetryMetricsExtensions
{
    public const string DefaultPath = Spillway.Engine.SpillwayRoutes.Metrics;

    /// <summary>Registers the Spillway meter over a <see cref="ScrapeSnapshot"/> of <paramref name="source"/>.</summary>
    public static IServiceCollection AddSpillwayOpenTelemetryMetrics(this IServiceCollection services, ITelemetrySource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        services.AddSpillwayScrapeSnapshot(source);
        return AddCore(services, source.MaxPeerLabelValues);
    }

    /// <summary>Registers the Spillway meter over <paramref name="snapshot"/>.</summary>
    public static IServiceCollection AddSpillwayOpenTelemetryMetrics(this IServiceCollection services, ScrapeSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        services.AddSpillwayScrapeSnapshot(snapshot);
        return AddCore(services, snapshot.Source.MaxPeerLabelValues);
    }

    /// <summary>The exposition format served: the classic Prometheus text format, as the prometheus-net exporter serves.</summary>
    public const string TextFormatAccept = "text/plain; version=0.0.4";

    /// <summary>
    /// Maps GET <paramref name="path"/> (default <c>/metrics</c>) to the OpenTelemetry Prometheus exporter.
    /// The response is always the classic text format (0.0.4): the request's Accept header is replaced before the
    /// exporter negotiates, because its OpenMetrics output adds a <c>*_created</c> sample to every counter series, which
    /// the prometheus-net exporter does not, and the two exporters must scrape as the same series.
    /// </summary>
    public static IEndpointConventionBuilder MapSpillwayOpenTelemetryMetrics(this IEndpointRouteBuilder endpoints, string path = DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints
            .MapPrometheusScrapingEndpoint(
                path,
                meterProvider: null,
                configureBranchedPipeline: branch => branch.Use(static (context, next) =>
                {
                    context.RequestServices.GetRequiredService<ScrapeSnapshot>().MarkStale();
                    context.Request.Headers.Accept = TextFormatAccept;
                    return next(context);
                }),
                optionsName: null)
            .WithMetadata(new HttpMethodMetadata(["GET"]));
    }

    private static IServiceCollection AddCore(IServiceCollection services, int maxPeerLabelValues)
    {
        if (services.Any(d => d.ServiceType == typeof(Registered)))
            return services;
        services.AddSingleton<Registered>();

        // This host's meter is told apart from other "Spillway" meters in the process (several nodes in one test
        // process) by its scope: a MeterProvider listens by meter name, so without the view below it would export the
        // instruments of every node in the process.
        // The same view lifts the SDK's default cardinality limit (2,000 points per metric, beyond which points are
        // folded into one overflow series): a node peered with more named peers would silently lose series.
        var scope = new object();
        var cardinalityLimit = OpenTelemetryMetrics.CardinalityLimit(maxPeerLabelValues);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(OpenTelemetryMetrics.MeterName)
            .AddView(instrument =>
                instrument.Meter.Name != OpenTelemetryMetrics.MeterName ? null
                : ReferenceEquals(instrument.Meter.Scope, scope) ? new MetricStreamConfiguration { CardinalityLimit = cardinalityLimit }
                : MetricStreamConfiguration.Drop)
            .AddInstrumentation(sp => new OpenTelemetryMetrics(sp.GetRequiredService<ScrapeSnapshot>(), scope, cardinalityLimit,
                sp.GetService<ILoggerFactory>()?.CreateLogger<OpenTelemetryMetrics>()))
            .AddPrometheusExporter(options =>
            {
                options.ScopeInfoEnabled = false;               // no otel_scope_* labels on the series
                options.TargetInfoEnabled = false;              // no target_info family either
                options.ScrapeResponseCacheDurationMilliseconds = 0;
                options.DisableTotalNameSuffixForCounters = false; // counters get their _total here
                options.ScrapeEndpointPath = DefaultPath;
            }));
        return services;
    }

    /// <summary>Marker: the OpenTelemetry exporter is registered in this collection.</summary>
    private sealed class Registered;
}
