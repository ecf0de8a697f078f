namespace Spillway.Dashboards.Tests;

/// <summary>promtool validates prometheus.yml and the alert rules, and runs the rule unit tests.</summary>
public class PromtoolTests
{
    [Theory]
    [InlineData("check", "config", "prometheus.yml")]
    [InlineData("check", "rules", "dashboards/alerts/spillway-alerts.yml")]
    [InlineData("test", "rules", "dashboards/alerts/spillway-alerts.test.yml")]
    public void Promtool_Succeeds(string verb, string noun, string file)
    {
        var result = Promtool.Run(RepoPaths.Root, verb, noun, file);
        Assert.True(result.ExitCode == 0, $"promtool {verb} {noun} {file} failed: {result}");
    }

    [Fact]
    public void CheckRules_FindsEveryAlert()
    {
        var result = Promtool.Run(RepoPaths.Root, "check", "rules", "dashboards/alerts/spillway-alerts.yml");
        Assert.True(result.ExitCode == 0, result.ToString());
        var alerts = AlertRulesLint.Parse(File.ReadAllText(RepoPaths.AlertRules));
        Assert.Contains($"SUCCESS: {alerts.Count} rules found", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckScript_Passes()
    {
        var result = ProcessRunner.Run("bash", RepoPaths.Root, RepoPaths.CheckScript);
        Assert.True(result.ExitCode == 0, $"dashboards/check.sh failed: {result}");
        Assert.Contains("PASS  promtool test rules", result.Output, StringComparison.Ordinal);
    }

    /// <summary>Every dashboard query (Grafana variables substituted) is valid PromQL for promtool.</summary>
    [Fact]
    public void DashboardQueries_AreValidPromQl()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(RepoPaths.Dashboard));
        var exprs = DashboardLint.Panels(doc.RootElement)
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .Select(e => e.Replace("$__rate_interval", "1m", StringComparison.Ordinal)
                          .Replace("$__range", "1h", StringComparison.Ordinal)
                          .Replace("$__interval", "1m", StringComparison.Ordinal)
                          .Replace("$job", ".*", StringComparison.Ordinal)
                          .Replace("$node", ".*", StringComparison.Ordinal)
                          .Replace("$peer", ".*", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(exprs);

        var dir = Directory.CreateTempSubdirectory("spillway-dashboard-promql-");
        try
        {
            // Each query becomes a recording rule; `promtool check rules` parses every expression.
            var yaml = "groups:\n  - name: dashboard\n    rules:\n" + string.Concat(exprs.Select((e, i) =>
                $"      - record: dashboard:query_{i}\n        expr: '{e.Replace("'", "''", StringComparison.Ordinal)}'\n"));
            var file = Path.Combine(dir.FullName, "dashboard-queries.yml");
            File.WriteAllText(file, yaml);
            var result = Promtool.Run(dir.FullName, "check", "rules", file);
            Assert.True(result.ExitCode == 0, $"a dashboard query is not valid PromQL:\n{result}\n{yaml}");
            Assert.Contains($"SUCCESS: {exprs.Count} rules found", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The rule unit tests are able to fail: a rule that no longer fires must be caught.</summary>
    [Theory]
    [InlineData("rate(spillway_peer_buffer_overflows_total[1m]) > 1", "rate(spillway_peer_buffer_overflows_total[1m]) > 100")]
    [InlineData("rate(spillway_peer_buffer_overflows_total[1m]) > 1", "rate(spillway_peer_buffer_overflows_total[1m]) > 0")]
    [InlineData("rate(spillway_peer_buffer_overflows_total[1m]) > 1", "delta(spillway_peer_buffer_overflows_total[1m]) != 0")]
    [InlineData("for: 2m", "for: 0s")]
    [InlineData("for: 10m", "for: 1m")]
    [InlineData("severity: critical", "severity: warning")]
    [InlineData("/ on (job, instance, node, peer)", "/ on (node, peer) group_left")]
    [InlineData("> 0.05", "> 0.2")]
    [InlineData("or on (job, instance)", "or")]
    [InlineData("up{job=~\"spillway|spillway-.+\"} == 0", "up == 0")]
    public void RuleUnitTests_CatchABrokenRule(string original, string broken)
    {
        var dir = Directory.CreateTempSubdirectory("spillway-alerts-");
        try
        {
            var rules = File.ReadAllText(RepoPaths.AlertRules);
            Assert.Contains(original, rules, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(dir.FullName, "spillway-alerts.yml"), rules.Replace(original, broken, StringComparison.Ordinal));
            File.Copy(RepoPaths.AlertTests, Path.Combine(dir.FullName, "spillway-alerts.test.yml"));

            var result = Promtool.Run(dir.FullName, "test", "rules", "spillway-alerts.test.yml");
            Assert.True(result.ExitCode != 0, $"promtool test rules passed although the rule was broken ({original} -> {broken}):\n{result}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
