using Spillway.Telemetry.Export;

namespace Spillway.Telemetry.Tests.Export;

public sealed class MetricsExporterTests
{
    [Theory]
    [InlineData("opentelemetry", MetricsExporterKind.OpenTelemetry)]
    [InlineData("otel", MetricsExporterKind.OpenTelemetry)]
    [InlineData("OpenTelemetry", MetricsExporterKind.OpenTelemetry)]
    [InlineData(" OTel ", MetricsExporterKind.OpenTelemetry)]
    [InlineData("prometheus-net", MetricsExporterKind.PrometheusNet)]
    [InlineData("Prometheus-Net", MetricsExporterKind.PrometheusNet)]
    public void Parses_the_setting_values(string value, MetricsExporterKind expected)
    {
        Assert.Equal(expected, MetricsExporter.Parse(value));
        Assert.True(MetricsExporter.TryParse(value, out var kind));
        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData("prometheus")]
    [InlineData("prometheusnet")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_name_is_an_ArgumentException_naming_the_setting(string? value)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => MetricsExporter.Parse(value));
        Assert.Equal("exporter", ex.ParamName);
        Assert.Contains("'exporter'", ex.Message);
        Assert.False(MetricsExporter.TryParse(value, out _));
    }

    [Fact]
    public void Setting_values_round_trip()
    {
        foreach (var kind in Enum.GetValues<MetricsExporterKind>())
            Assert.Equal(kind, MetricsExporter.Parse(kind.ToSettingValue()));
        Assert.Equal("opentelemetry", MetricsExporterKind.OpenTelemetry.ToSettingValue());
        Assert.Equal("prometheus-net", MetricsExporterKind.PrometheusNet.ToSettingValue());
        Assert.Equal(MetricsExporterKind.OpenTelemetry, MetricsExporter.Default);
    }

    [Fact]
    public void OpenTelemetry_counter_instruments_drop_the_total_suffix()
    {
        Assert.Equal("spillway_peer_buffer_overflows", OpenTelemetryMetrics.CounterInstrumentName(MetricNames.PeerBufferOverflowsTotal));
        Assert.Equal("spillway_websocket_clients", OpenTelemetryMetrics.CounterInstrumentName(MetricNames.WebSocketClients));
    }
}
