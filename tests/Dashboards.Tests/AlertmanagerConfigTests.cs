using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Spillway.Dashboards.Tests;

/// <summary>
/// dashboards/alertmanager.yml: amtool accepts it, and a real Alertmanager loaded with it inhibits a node's
/// overflow alerts while that node's target is down, and only that node's.
/// </summary>
public class AlertmanagerConfigTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static string ConfigPath => Path.Combine(RepoPaths.DashboardsDir, "alertmanager.yml");

    [Fact]
    public void Amtool_AcceptsTheConfig()
    {
        var result = ProcessRunner.Run(Tool("amtool"), RepoPaths.Root, "check-config", ConfigPath);
        Assert.True(result.ExitCode == 0, $"amtool check-config dashboards/alertmanager.yml failed: {result}");
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
        Assert.Contains(" - 2 inhibit rules", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_GroupsByAlertnameAndNodeAndSendsNothingOffTheMachine()
    {
        var text = File.ReadAllText(ConfigPath);
        Assert.Matches(@"(?m)^  group_by: \[alertname, node\]\s*$", text);
        Assert.Matches(@"(?m)^  receiver: spillway-null\s*$", text);
        foreach (Match url in Regex.Matches(text, @"https?://([^/:\s]+)"))
        {
            Assert.Equal("127.0.0.1", url.Groups[1].Value);
        }
    }

    /// <summary>The target-down inhibit rule lists every other alert of the rule file, so a new alert is not forgotten.</summary>
    [Fact]
    public void TargetDownInhibits_EveryOtherAlert()
    {
        var text = File.ReadAllText(ConfigPath);
        var m = Regex.Match(text, @"source_matchers: \[alertname=""SpillwayTargetDown""\]\s*target_matchers:\s*- alertname=~""([^""]+)""\s*equal: \[job, instance\]");
        Assert.True(m.Success, "inhibit rule SpillwayTargetDown -> overflow alerts, equal [job, instance], not found");
        var inhibited = m.Groups[1].Value.Split('|').Order(StringComparer.Ordinal).ToArray();
        var others = AlertRulesLint.Parse(File.ReadAllText(RepoPaths.AlertRules)).Select(a => a.Name)
            .Where(n => n != "SpillwayTargetDown").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(others, inhibited);
    }

    [Fact]
    public async Task Alertmanager_TargetDownInhibitsThatNodesOverflowAlertsOnly()
    {
        var port = FreePort();
        var data = Directory.CreateTempSubdirectory("spillway-alertmanager-");
        var log = new StringBuilder();
        using var process = new System.Diagnostics.Process
        {
            StartInfo = new System.Diagnostics.ProcessStartInfo(Tool("prometheus-alertmanager"))
            {
                ArgumentList =
                {
                    $"--config.file={ConfigPath}", $"--storage.path={data.FullName}",
                    $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=",
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            await UntilAsync("Alertmanager ready", async () =>
                !process.HasExited && (await http.GetAsync("/-/ready")).StatusCode == HttpStatusCode.OK, () => Log(log));

            // worker-1 of cluster a is down and was overflowing; worker-1 of cluster b (same node name) overflows too.
            const string alerts = """
                [
                  {"labels": {"alertname": "SpillwayTargetDown", "severity": "critical", "job": "spillway-a", "instance": "10.0.1.4:9101", "node": "worker-1"}},
                  {"labels": {"alertname": "SpillwayPeerBufferOverflowing", "severity": "warning", "job": "spillway-a", "instance": "10.0.1.4:9101", "node": "worker-1", "peer": "logger"}},
                  {"labels": {"alertname": "SpillwayPeerBufferSaturated", "severity": "warning", "job": "spillway-a", "instance": "10.0.1.4:9101", "node": "worker-1", "peer": "manager"}},
                  {"labels": {"alertname": "SpillwayPeerBufferOverflowing", "severity": "warning", "job": "spillway-b", "instance": "10.0.2.4:9101", "node": "worker-1", "peer": "logger"}}
                ]
                """;
            using (var post = await http.PostAsync("/api/v2/alerts", new StringContent(alerts, Encoding.UTF8, "application/json")))
            {
                Assert.True(post.IsSuccessStatusCode, $"POST /api/v2/alerts: {(int)post.StatusCode} {await post.Content.ReadAsStringAsync()}");
            }

            var expected = new[]
            {
                "SpillwayPeerBufferOverflowing spillway-a suppressed",
                "SpillwayPeerBufferOverflowing spillway-b active",
                "SpillwayPeerBufferSaturated spillway-a suppressed",
                "SpillwayTargetDown spillway-a active",
            };
            string[] seen = [];
            await UntilAsync($"alert states [{string.Join("; ", expected)}]", async () =>
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/v2/alerts"));
                seen = doc.RootElement.EnumerateArray()
                    .Select(a => $"{a.GetProperty("labels").GetProperty("alertname").GetString()} {a.GetProperty("labels").GetProperty("job").GetString()} {a.GetProperty("status").GetProperty("state").GetString()}")
                    .Order(StringComparer.Ordinal).ToArray();
                return seen.SequenceEqual(expected);
            }, () => $"last seen: [{string.Join("; ", seen)}]\n{Log(log)}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            data.Delete(recursive: true);
        }
    }

    private static async Task UntilAsync(string what, Func<Task<bool>> condition, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + Generous;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException e)
            {
                last = e; // not listening yet
            }

            await Task.Delay(200);
        }

        Assert.Fail($"timed out after {Generous.TotalSeconds} s waiting for {what}{(last is null ? "" : $" ({last.Message})")}\n{diagnostics()}");
    }

    private static string Log(StringBuilder log)
    {
        lock (log)
        {
            return "alertmanager log:\n" + log;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A tool from PATH (Debian's prometheus-alertmanager ships both); fails, never skips, when missing.</summary>
    private static string Tool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"{name} was not found on PATH. Run ./test.sh, which installs it (Debian: apt-get install prometheus-alertmanager).");
        return string.Empty; // unreachable
    }
}
