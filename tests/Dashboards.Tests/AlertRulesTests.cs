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
    [InlineData("SpillwayTargetDown", "critical")]
    [InlineData("SpillwayPeerBufferOverflowing", "warning")]
    [InlineData("SpillwayPeerMessageLossRatioHigh", "critical")]
    [InlineData("SpillwayBackpressureDisconnects", "critical")]
    [InlineData("SpillwayPeerBufferSaturated", "warning")]
    [InlineData("SpillwayWebSocketClientBufferOverflowing", "warning")]
    public void Rules_HaveTheRequiredAlerts(string name, string severity)
    {
        var alert = Assert.Single(Alerts, a => a.Name == name);
        Assert.Equal(severity, alert.Labels["severity"]);
    }

    /// <summary>Sustained loss, not one dropped message: a rate threshold, and a `for` longer than the rate window.</summary>
    [Theory]
    [InlineData("SpillwayPeerBufferOverflowing", "spillway_peer_buffer_overflows_total")]
    [InlineData("SpillwayWebSocketClientBufferOverflowing", "spillway_websocket_client_buffer_overflows_total")]
    public void Overflowing_FiresOnSustainedLossOnly(string name, string counter)
    {
        var alert = Assert.Single(Alerts, a => a.Name == name);
        Assert.Equal($"rate({counter}[1m]) > 1", alert.Expr.Trim());
        Assert.Equal("2m", alert.For);
    }

    [Fact]
    public void LossRatio_DividesOverflowsByOfferedOnEveryIdentifyingLabel()
    {
        var alert = Assert.Single(Alerts, a => a.Name == "SpillwayPeerMessageLossRatioHigh");
        Assert.Equal("5m", alert.For);
        Assert.Equal(
            "rate(spillway_peer_buffer_overflows_total[5m]) / on (job, instance, node, peer) rate(spillway_peer_messages_offered_total[5m]) > 0.05",
            Regex.Replace(alert.Expr, @"\s+", " ").Trim());
    }

    [Fact]
    public void Saturated_JoinsOnEveryIdentifyingLabelFor10Minutes()
    {
        var alert = Assert.Single(Alerts, a => a.Name == "SpillwayPeerBufferSaturated");
        Assert.Equal("10m", alert.For);
        Assert.Equal(
            "spillway_peer_buffer_recent_max_messages / on (job, instance, node, peer) spillway_peer_buffer_capacity_messages > 0.8",
            Regex.Replace(alert.Expr, @"\s+", " ").Trim());
    }

    /// <summary>Two clusters may share node names: every `on (...)` match list holds job and instance, so they never collide.</summary>
    [Fact]
    public void Rules_EveryJoinMatchesOnJobAndInstance()
    {
        foreach (var a in Alerts)
        {
            foreach (Match m in Regex.Matches(a.Expr, @"\bon\s*\(([^)]*)\)"))
            {
                var labels = m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries);
                Assert.True(labels.Contains("job") && labels.Contains("instance"), $"{a.Name}: '{m.Value}' must match on job and instance");
            }
        }
    }

    [Fact]
    public void TargetDown_WatchesOnlySpillwayJobs()
    {
        var alert = Assert.Single(Alerts, a => a.Name == "SpillwayTargetDown");
        Assert.Equal("1m", alert.For);
        foreach (Match m in Regex.Matches(alert.Expr, @"\bup\b(\{[^}]*\})?"))
        {
            Assert.Equal("up{job=~\"spillway|spillway-.+\"}", m.Value);
        }
    }

    [Fact]
    public void Rules_NameNoHostAndNoMachinePath()
    {
        var text = File.ReadAllText(RepoPaths.AlertRules);
        Assert.DoesNotContain("://", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)(^|[\s'""])/(work|tmp|home|usr|etc)/", text);
        Assert.DoesNotContain("DESIGN" + ".md", text, StringComparison.Ordinal);
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

    /// <summary>The joins are tested where they used to break: two clusters whose nodes have the same names.</summary>
    [Fact]
    public void UnitTests_IncludeTwoClustersWithTheSameNodeNames()
    {
        var text = File.ReadAllText(RepoPaths.AlertTests);
        var twoClusterTests = Regex.Matches(text, @"(?m)^\s*- name: .*two clusters").Count;
        Assert.True(twoClusterTests >= 2, $"expected unit tests with two clusters for the loss-ratio and saturation joins, found {twoClusterTests}");
        foreach (var node in new[] { "worker-1", "manager" })
        {
            Assert.Contains($"job=\"spillway-a\",instance=\"10.0.1.", text, StringComparison.Ordinal);
            Assert.Matches($@"job=""spillway-b"",instance=""[^""]+"",node=""{node}""", text);
        }
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
