namespace Spillway.Telemetry.Export;

/// <summary>Which library serves /metrics. Setting <c>exporter</c>: <c>opentelemetry</c> (or <c>otel</c>) or <c>prometheus-net</c>.</summary>
public enum MetricsExporterKind
{
    /// <summary>OpenTelemetry .NET with its Prometheus AspNetCore exporter (the default).</summary>
    OpenTelemetry,

    /// <summary>prometheus-net with its own registry.</summary>
    PrometheusNet,
}
