using System.Text.Json;
using static Spillway.Dashboards.Tests.TestHelpers;

namespace Spillway.Dashboards.Tests;

/// <summary>The shipped Grafana dashboard and provisioning files.</summary>
public class DashboardTests
{
    private static string DashboardJson => File.ReadAllText(RepoPaths.Dashboard);

    private static IEnumerable<string> Exprs()
    {
        using var doc = JsonDocument.Parse(DashboardJson);
        return DashboardLint.Panels(doc.RootElement)
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.TryGetProperty("expr", out var e) ? e.GetString() ?? string.Empty : string.Empty)
            .ToList();
    }

    [Fact]
    public void Dashboard_PassesLint() => AssertNoProblems(DashboardLint.Check(DashboardJson), RepoPaths.Dashboard);

    [Fact]
    public void Dashboard_IsTheOnlyJsonTheProviderLoads()
    {
        // The file provider loads every *.json under dashboards/; only dashboards may live there.
        var jsons = Directory.GetFiles(RepoPaths.DashboardsDir, "*.json", SearchOption.AllDirectories);
        foreach (var file in jsons)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            Assert.True(doc.RootElement.TryGetProperty("panels", out _), $"{file} is not a dashboard but would be provisioned as one");
            AssertNoProblems(DashboardLint.Check(doc.RootElement), file);
        }
    }

    [Theory]
    [InlineData("spillway_peer_buffer_messages{")]
    [InlineData("spillway_peer_buffer_recent_max_messages{")]
    [InlineData("/ on (node, peer) group_left spillway_peer_buffer_capacity_messages")]
    [InlineData("rate(spillway_peer_buffer_overflows_total{")]
    [InlineData("increase(spillway_backpressure_disconnects_total{")]
    [InlineData("spillway_websocket_clients{")]
    [InlineData("spillway_websocket_client_buffer_recent_max_messages{")]
    [InlineData("rate(spillway_websocket_client_buffer_overflows_total{")]
    public void Dashboard_ShowsEachFamily(string fragment)
    {
        Assert.Contains(Exprs(), e => e.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void Dashboard_RatesUseRateInterval()
    {
        foreach (var e in Exprs().Where(e => e.Contains("rate(", StringComparison.Ordinal)))
        {
            Assert.Contains("[$__rate_interval]", e, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Dashboard_PerPeerQueriesFilterByNodeAndPeer()
    {
        foreach (var e in Exprs())
        {
            var metrics = PromQlLint.MetricsIn(e);
            Assert.Contains("node=~\"$node\"", e, StringComparison.Ordinal);
            if (metrics.Any(SpillwayMetrics.PerPeer.Contains))
            {
                Assert.Contains("peer=~\"$peer\"", e, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Provisioning_DatasourcePointsAtLocalPrometheus()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.DashboardsDir, "provisioning", "datasources", "prometheus.yaml"));
        var root = Assert.IsType<Dictionary<string, object?>>(Yaml.Parse(text));
        var ds = Assert.IsType<Dictionary<string, object?>>(Assert.Single(Assert.IsType<List<object?>>(root["datasources"])));
        Assert.Equal("prometheus", ds["type"]);
        Assert.Equal("http://127.0.0.1:9090", ds["url"]);
        Assert.Equal("1", root["apiVersion"]);
    }

    [Fact]
    public void Provisioning_DashboardProviderLoadsTheDashboardsFolder()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.DashboardsDir, "provisioning", "dashboards", "spillway.yaml"));
        var root = Assert.IsType<Dictionary<string, object?>>(Yaml.Parse(text));
        var provider = Assert.IsType<Dictionary<string, object?>>(Assert.Single(Assert.IsType<List<object?>>(root["providers"])));
        Assert.Equal("file", provider["type"]);
        var options = Assert.IsType<Dictionary<string, object?>>(provider["options"]);
        // ${GF_PATHS_PROVISIONING} is <repo>/dashboards/provisioning, so its parent is this folder.
        Assert.Equal("${GF_PATHS_PROVISIONING}/..", options["path"]);
        var resolved = Path.GetFullPath(Path.Combine(RepoPaths.DashboardsDir, "provisioning", ".."));
        Assert.True(File.Exists(Path.Combine(resolved, "spillway.json")));
    }
}
