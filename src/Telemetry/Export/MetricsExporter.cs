using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Spillway.Telemetry.Export;

/// <summary>The single switch between the two exporters: parse the setting, register, map.</summary>
public static class MetricsExporter
{
    /// <summary>The name of the setting that selects the exporter.</summary>
    public const string SettingName = "exporter";

    public const MetricsExporterKind Default = MetricsExporterKind.OpenTelemetry;

    public const string OpenTelemetryName = "opentelemetry";
    public const string OpenTelemetryShortName = "otel";
    public const string PrometheusNetName = "prometheus-net";

    /// <summary>Parses <c>opentelemetry</c>/<c>otel</c> or <c>prometheus-net</c> (case-insensitive, trimmed).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message names the setting <c>exporter</c>.</exception>
    public static MetricsExporterKind Parse(string? value)
    {
        if (TryParse(value, out var kind))
            return kind;
        throw new ArgumentException(
            $"Unknown value '{value}' for setting '{SettingName}': expected '{OpenTelemetryName}' (or '{OpenTelemetryShortName}') or '{PrometheusNetName}'.",
            SettingName);
    }

    public static bool TryParse(string? value, out MetricsExporterKind kind)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case OpenTelemetryName or OpenTelemetryShortName:
                kind = MetricsExporterKind.OpenTelemetry;
                return true;
            case PrometheusNetName:
                kind = MetricsExporterKind.PrometheusNet;
                return true;
            default:
                kind = Default;
                return false;
        }
    }

    /// <summary>The canonical setting value of <paramref name="kind"/> (<c>opentelemetry</c> or <c>prometheus-net</c>).</summary>
    public static string ToSettingValue(this MetricsExporterKind kind) => kind switch
    {
        MetricsExporterKind.OpenTelemetry => OpenTelemetryName,
        MetricsExporterKind.PrometheusNet => PrometheusNetName,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Registers the exporter <paramref name="kind"/> over <paramref name="source"/>.</summary>
    public static IServiceCollection AddSpillwayMetrics(this IServiceCollection services, MetricsExporterKind kind, ITelemetrySource source) =>
        kind switch
        {
            MetricsExporterKind.OpenTelemetry => services.AddSpillwayOpenTelemetryMetrics(source),
            MetricsExporterKind.PrometheusNet => services.AddSpillwayPrometheusNetMetrics(source),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

    /// <summary>Maps GET /metrics (or <paramref name="path"/>) for the exporter registered with <see cref="AddSpillwayMetrics"/>.</summary>
    public static IEndpointConventionBuilder MapSpillwayMetrics(this IEndpointRouteBuilder endpoints, MetricsExporterKind kind, string path = Spillway.Engine.SpillwayRoutes.Metrics) =>
        kind switch
        {
            MetricsExporterKind.OpenTelemetry => endpoints.MapSpillwayOpenTelemetryMetrics(path),
            MetricsExporterKind.PrometheusNet => endpoints.MapSpillwayPrometheusNetMetrics(path),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
}
