using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Spillway.EndToEnd.Tests;

/// <summary>
/// <c>spillway demo</c> runs the whole monitoring loop by itself: with the Debian packages installed it starts Prometheus
/// (scraping the ports of this run, so <c>--port-offset</c> works) and Alertmanager, loads the repository's rules, and an
/// overflow alert on the slow logger goes pending or firing without any config written by hand.
/// </summary>
public sealed class DemoMonitoringTests
{
    private static readonly int[] DemoPorts = [9090, 9093, 9101, 9102, 9103, 9104, 9105, 9201, 9202, 9203, 9204, 9205, 9301];

    [Fact]
    public async Task Demo_starts_prometheus_with_its_own_targets_and_an_overflow_alert_goes_off()
    {
        _ = RepoPaths.Prometheus; // a clear failure naming the package when it is missing
        _ = RepoPaths.Alertmanager;
        var offset = DemoRuns.PickFreeOffset(DemoPorts, 20_000, 40_000);
        var workDir = Directory.CreateTempSubdirectory("spillway-e2e-demo-monitoring-").FullName;
        // From the repository root, as the README runs it: the demo finds dashboards/ there.
        var demo = ChildProcess.Start("demo", RepoPaths.DotnetHost,
            [RepoPaths.SpillwayDll, "demo", "--no-top", "--port-offset", offset.ToString(CultureInfo.InvariantCulture), "--duration", "600"],
            Path.Combine(workDir, "demo.log"));
        try
        {
            string Context() => $"demo --port-offset {offset}; {demo.Describe(60)}";
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

            // The banner names Prometheus's URL and the generated config.
            var prometheusUrl = await Eventually.UntilAsync("the banner line naming Prometheus's URL and config", TimeSpan.FromSeconds(60), () =>
            {
                if (demo.HasExited) throw new Xunit.Sdk.XunitException($"the demo exited early with code {demo.ExitCode}.\n{Context()}");
                var match = Regex.Match(File.ReadAllText(demo.LogPath), @"Prometheus\s+(http://127\.0\.0\.1:\d+)\s+alerts \S+\s+config (\S+prometheus\.yml)");
                return Task.FromResult((match.Success, match.Groups[1].Value, "no such line yet"));
            }, Context);
            Assert.Matches(@"Alertmanager\s+http://127\.0\.0\.1:\d+\s+config \S+alertmanager\.yml", File.ReadAllText(demo.LogPath));
            Assert.Contains("Layout: ", File.ReadAllText(demo.LogPath));
            Assert.Contains($"Monitoring: alert rules {RepoPaths.AlertRules}", File.ReadAllText(demo.LogPath));
            var prometheus = new PrometheusApi(http, prometheusUrl);

            // Every node of this run is a target, and up.
            var expected = Enumerable.Range(9101, 5).Select(p => $"127.0.0.1:{p + offset}").ToArray();
            await Eventually.UntilAsync($"5 targets up: {string.Join(", ", expected)}", TimeSpan.FromSeconds(90), async () =>
            {
                var targets = await prometheus.ActiveTargetsAsync();
                var up = targets.Where(t => t.GetProperty("health").GetString() == "up")
                    .Select(t => t.GetProperty("labels").GetProperty("instance").GetString()!).Order().ToArray();
                var seen = string.Join(", ", targets.Select(t => $"{t.GetProperty("labels").GetProperty("instance").GetString()} {t.GetProperty("health").GetString()}"));
                return (up.SequenceEqual(expected), seen);
            }, Context);

            // The rules are loaded and an overflow alert towards the slow logger goes pending or firing.
            var alert = await Eventually.UntilAsync("ALERTS{alertname=~\"SpillwayPeer.*\", peer=\"logger\"} pending or firing", TimeSpan.FromSeconds(300), async () =>
            {
                var result = await prometheus.QueryAsync("ALERTS{alertname=~\"SpillwayPeer.*\", peer=\"logger\", alertstate=~\"pending|firing\"}");
                var alerts = result.EnumerateArray().ToArray();
                return (alerts.Length > 0, alerts.Length > 0 ? PrometheusApi.Render(result) : "", PrometheusApi.Render(await prometheus.QueryAsync("ALERTS")));
            }, Context);
            Assert.Contains("logger", alert);

            demo.SendSigterm();
            Assert.True(await demo.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"the demo did not exit within 60 s of SIGTERM.\n{Context()}");
            Assert.True(demo.ExitCode == 0, $"the demo exited with code {demo.ExitCode} after SIGTERM, expected 0.\n{Context()}");

            // Prometheus and Alertmanager stopped with it.
            await Eventually.UntilAsync("Prometheus no longer answering", TimeSpan.FromSeconds(30), async () =>
            {
                try { await http.GetStringAsync(prometheusUrl + "/-/healthy"); return (false, "still answers"); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return (true, ""); }
            }, Context);
            DemoRuns.DeleteKeptLogs(File.ReadAllText(demo.LogPath));
        }
        finally
        {
            await demo.DisposeAsync();
        }
        Directory.Delete(workDir, recursive: true);
    }
}
