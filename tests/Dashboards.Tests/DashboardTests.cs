using System.Text.Json;
using System.Text.RegularExpressions;
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
    [InlineData("/ on (job, instance, node, peer) spillway_peer_buffer_capacity_messages{")]
    [InlineData("rate(spillway_peer_buffer_overflows_total{")]
    [InlineData("/ on (job, instance, node, peer) rate(spillway_peer_messages_offered_total{")]
    [InlineData("rate(spillway_backpressure_disconnects_total{")]
    [InlineData("spillway_websocket_clients{")]
    [InlineData("spillway_websocket_client_buffer_recent_max_messages{")]
    [InlineData("rate(spillway_websocket_client_buffer_overflows_total{")]
    [InlineData("up{job=~\"$job\"}")]
    public void Dashboard_ShowsEachFamily(string fragment)
    {
        Assert.Contains(Exprs(), e => e.Contains(fragment, StringComparison.Ordinal));
    }

    /// <summary>The WebSocket graphs draw one line per node and application (issue 12): the legend must say which app.</summary>
    [Fact]
    public void Dashboard_WebSocketGraphsAreByApplication()
    {
        using var doc = JsonDocument.Parse(DashboardJson);
        var targets = DashboardLint.Panels(doc.RootElement)
            .Where(p => p.GetProperty("type").GetString() == "timeseries" && p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Where(t => t.TryGetProperty("expr", out var e) && e.GetString()!.Contains("spillway_websocket_", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(3, targets.Length);
        Assert.All(targets, t => Assert.Contains("{{app}}", t.GetProperty("legendFormat").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Dashboard_RatesUseRateInterval()
    {
        foreach (var e in Exprs().Where(e => e.Contains("rate(", StringComparison.Ordinal)))
        {
            Assert.Contains("[$__rate_interval]", e, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// increase() only over the whole time range (stats, table). Per-interval increase() bars over overlapping
    /// windows count an event in several bars (summed, they overstated overflows 3.8x); graphs show rates instead.
    /// </summary>
    [Fact]
    public void Dashboard_IncreaseOnlyOverTheWholeRange()
    {
        foreach (Match m in Regex.Matches(string.Join("\n", Exprs()), @"increase\([^\[]*\[(?<window>[^\]]*)\]"))
        {
            Assert.Equal("$__range", m.Groups["window"].Value);
        }
    }

    /// <summary>Every selector filters on job, node and peer as far as the family has them (two clusters may share node names).</summary>
    [Fact]
    public void Dashboard_EveryQueryFiltersByJobNodeAndPeer()
    {
        foreach (var e in Exprs())
        {
            Assert.Contains(DashboardLint.JobFilter, e, StringComparison.Ordinal);
            AssertNoProblems(DashboardLint.SelectorProblems(e), e);
        }
    }

    [Fact]
    public void Dashboard_JobVariableListsSpillwayJobsEvenWhenTheirTargetsAreDown()
    {
        using var doc = JsonDocument.Parse(DashboardJson);
        var vars = doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().Select(v => v.GetProperty("name").GetString()).ToArray();
        Assert.Equal(new[] { "datasource", "job", "node", "peer" }, vars);
        var job = doc.RootElement.GetProperty("templating").GetProperty("list")[1];
        Assert.Equal("label_values(up{job=~\"spillway|spillway-.+\"}, job)", job.GetProperty("query").GetString());
        Assert.Equal("spillway|spillway-.+", job.GetProperty("allValue").GetString());
    }

    [Fact]
    public void Dashboard_HasRowsATopPeeringsTableAndATargetsPanel()
    {
        using var doc = JsonDocument.Parse(DashboardJson);
        var panels = DashboardLint.Panels(doc.RootElement).ToArray();
        var rows = panels.Where(p => p.GetProperty("type").GetString() == "row").Select(p => p.GetProperty("title").GetString()).ToArray();
        Assert.True(rows.Length >= 4, $"expected rows grouping the panels, got [{string.Join(", ", rows)}]");
        Assert.Equal("row", panels[0].GetProperty("type").GetString());

        var table = Assert.Single(panels, p => p.GetProperty("title").GetString() == "Top peerings");
        Assert.Equal("table", table.GetProperty("type").GetString());
        var exprs = table.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!).ToArray();
        var key = exprs[0];
        Assert.StartsWith("topk(10, rate(spillway_peer_buffer_overflows_total{", key, StringComparison.Ordinal);
        // Every other column is restricted to the same ten peerings.
        foreach (var e in exprs.Skip(1))
        {
            Assert.EndsWith(") and on (job, instance, node, peer) " + key, e, StringComparison.Ordinal);
        }

        foreach (var t in table.GetProperty("targets").EnumerateArray())
        {
            Assert.True(t.GetProperty("instant").GetBoolean());
            Assert.Equal("table", t.GetProperty("format").GetString());
        }

        Assert.Contains(panels, p => p.GetProperty("title").GetString() == "Targets down"
            && p.GetProperty("targets")[0].GetProperty("expr").GetString() == "count(up{job=~\"$job\"} == 0) or vector(0)");
    }

    [Fact]
    public void Dashboard_LinksNoPlaceholderOrHost()
    {
        Assert.DoesNotContain("://", DashboardJson, StringComparison.Ordinal);
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
