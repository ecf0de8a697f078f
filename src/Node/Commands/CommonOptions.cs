using System.CommandLine;
using Spillway.Telemetry.Export;

namespace Spillway.Node.Commands;

internal static class CommonOptions
{
    public static Option<string?> Exporter() => new("--exporter")
    {
        Description = "Metrics exporter: opentelemetry (default) or prometheus-net",
    };

    /// <summary>Null means the default exporter; an unknown name is an error naming the setting.</summary>
    public static MetricsExporterKind ParseExporter(string? name) =>
        name is null ? MetricsExporterKind.OpenTelemetry : MetricsExporter.Parse(name);
}
