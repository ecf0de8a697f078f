using Spillway.Engine.Peering;
using Spillway.Telemetry.Export;

namespace Spillway.Telemetry.Tests.Export;

/// <summary><c>spillway_connections_refused_total{node,reason}</c> in both exporters: one series per reason of the fixed set.</summary>
public sealed class RefusalMetricTests
{
    public static TheoryData<MetricsExporterKind> Kinds => new() { MetricsExporterKind.OpenTelemetry, MetricsExporterKind.PrometheusNet };

    private static void WithRefusals(TelemetrySnapshot s)
    {
        s.NodeName = "manager";
        var value = 0;
        foreach (var reason in RefusalReasonNames.All)
            s.ConnectionsRefused.Add(new ReasonCounter(reason.ToLabel(), value++ * 10));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_reason_is_exported_once_with_its_count_zero_included(MetricsExporterKind kind)
    {
        await using var host = await ExporterHost.StartAsync(kind, new TestTelemetrySource(WithRefusals));
        var scrape = await host.ScrapeParsedAsync();

        Assert.Equal(
            [
                """spillway_connections_refused_total{node="manager",reason="address_connections"} 10""",
                """spillway_connections_refused_total{node="manager",reason="frame_size"} 30""",
                """spillway_connections_refused_total{node="manager",reason="frame_timeout"} 40""",
                """spillway_connections_refused_total{node="manager",reason="handshake_bytes"} 20""",
                """spillway_connections_refused_total{node="manager",reason="node_connections"} 0""",
                """spillway_connections_refused_total{node="manager",reason="subscriptions"} 50""",
            ],
            scrape.Keys(MetricNames.ConnectionsRefusedTotal));
        Assert.Equal("counter", scrape.Families[MetricNames.ConnectionsRefusedTotal].Type);
        Assert.Equal(MetricNames.ConnectionsRefusedHelp, scrape.Families[MetricNames.ConnectionsRefusedTotal].Help);
    }

    [Fact]
    public void The_reason_labels_are_a_fixed_distinct_set()
    {
        var labels = RefusalReasonNames.All.Select(r => r.ToLabel()).ToArray();
        Assert.Equal(6, labels.Length);
        Assert.Equal(labels.Length, labels.Distinct(StringComparer.Ordinal).Count());
        Assert.All(labels, l => Assert.Matches("^[a-z_]+$", l));
    }
}
