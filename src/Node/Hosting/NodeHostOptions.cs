using Spillway.Node.Security;
using Spillway.Telemetry.Export;

namespace Spillway.Node.Hosting;

/// <summary>How to run one node beyond what its layout says.</summary>
public sealed record NodeHostOptions
{
    public MetricsExporterKind Exporter { get; init; } = MetricsExporterKind.OpenTelemetry;
    /// <summary>Publish the demo's synthetic traffic for this node's role.</summary>
    public bool Workload { get; init; }
    /// <summary>TLS material already loaded; null = load it from the layout (<see cref="NodeSecurity.Load"/>).</summary>
    public NodeSecurity? Security { get; init; }
    /// <summary>Protection of /metrics and /peers (<c>--web-config-file</c>); null = plain HTTP, no auth.</summary>
    public WebConfig? WebConfig { get; init; }
}
