using System.Text.RegularExpressions;
using static Spillway.Dashboards.Tests.TestHelpers;

namespace Spillway.Dashboards.Tests;

/// <summary>The shipped alert rules, their runbook and their promtool unit tests.</summary>
public class AlertRulesTests
{
    private static IReadOnlyList<AlertRule> Alerts => AlertRulesLint.Parse(File.ReadAllText(RepoPaths.AlertRules));

    [Fact]
    public void Rules_PassLint() =>
        AssertNoProblems(AlertRulesLint.Check(Alerts, File.ReadAllText(RepoPaths.Runbook)), RepoPaths.AlertRules);

    [Theory]
    [InlineData("SpillwayPeerBufferOverflowing", "warning")]
    [InlineData("SpillwayBackpressureDisconnects", "critical")]
    [InlineData("SpillwayPeerBufferSaturated", "warning")]
    [InlineData("SpillwayWebSocketClientBufferOverflowing", "warning")]
    public void Rules_HaveTheRequiredAlerts(string name, string severity)
    {
        var alert = Assert.Single(Alerts, a => a.Name == name);
        Assert.Equal(severity, alert.Labels["severity"]);
    }

    [Fact]
    public void Overflowing_FiresWithinAMinute()
    {
        var alert = Assert.Single(Alerts, a => a.Name == "SpillwayPeerBufferOverflowing");
        Assert.Matches(@"^increase\(spillway_peer_buffer_overflows_total\[(1m|[1-5]?[0-9]s)\]\)\s*>\s*0$", alert.Expr.Trim());
        Assert.True(alert.For is null or "0s" || (alert.For.EndsWith('s') && int.Parse(alert.For[..^1]) <= 30), $"for: {alert.For} is too long");
    }

    [Fact]
    public void Saturated_JoinsOnNodeAndPeerFor10Minutes()
    {
        var alert = Assert.Single(Alerts, a => a.Name == "SpillwayPeerBufferSaturated");
        Assert.Equal("10m", alert.For);
        var expr = Regex.Replace(alert.Expr, @"\s+", " ").Trim();
        Assert.Contains("spillway_peer_buffer_recent_max_messages / on (node, peer)", expr, StringComparison.Ordinal);
        Assert.EndsWith("spillway_peer_buffer_capacity_messages > 0.8", expr, StringComparison.Ordinal);
    }

    /// <summary>Every alert has unit tests in which it fires and in which it must not fire.</summary>
    [Fact]
    public void UnitTests_CoverEveryAlertFiringAndNotFiring()
    {
        var lines = File.ReadAllLines(RepoPaths.AlertTests);
        var firing = new HashSet<string>(StringComparer.Ordinal);
        var quiet = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var m = Regex.Match(lines[i], @"^\s*alertname:\s*(\S+)\s*$");
            if (!m.Success)
            {
                continue;
            }

            var next = lines.Skip(i + 1).First(l => l.Trim().Length > 0).Trim();
            Assert.StartsWith("exp_alerts:", next, StringComparison.Ordinal);
            (next == "exp_alerts: []" ? quiet : firing).Add(m.Groups[1].Value);
        }

        foreach (var a in Alerts)
        {
            Assert.True(firing.Contains(a.Name), $"{a.Name} has no unit test in which it fires");
            Assert.True(quiet.Contains(a.Name), $"{a.Name} has no unit test in which it must stay silent");
        }
    }

    [Fact]
    public void UnitTests_IncludeACounterResetAndAPeerThatComesBack()
    {
        var text = File.ReadAllText(RepoPaths.AlertTests);
        Assert.Contains("stale", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s*- name: .*restart", text);
        Assert.Matches(@"(?m)^\s*- name: .*disappears and reappears", text);
    }

    [Fact]
    public void PrometheusConfig_LoadsTheRulesAndScrapesTheDemoCluster()
    {
        var root = Assert.IsType<Dictionary<string, object?>>(Yaml.Parse(File.ReadAllText(RepoPaths.PrometheusConfig)));
        var ruleFiles = Assert.IsType<List<object?>>(root["rule_files"]);
        Assert.Contains("dashboards/alerts/spillway-alerts.yml", ruleFiles);
        var job = Assert.IsType<Dictionary<string, object?>>(Assert.Single(Assert.IsType<List<object?>>(root["scrape_configs"])));
        Assert.Equal("true", job["honor_labels"]);
        Assert.False(job.ContainsKey("relabel_configs"), "series already carry `node`; no target relabelling");
        var statics = Assert.IsType<Dictionary<string, object?>>(Assert.Single(Assert.IsType<List<object?>>(job["static_configs"])));
        Assert.Equal(
            new object?[] { "127.0.0.1:9101", "127.0.0.1:9102", "127.0.0.1:9103", "127.0.0.1:9104", "127.0.0.1:9105" },
            Assert.IsType<List<object?>>(statics["targets"]));
        Assert.False(statics.ContainsKey("labels"), "no target label may clash with the exported `node`");
    }
}
