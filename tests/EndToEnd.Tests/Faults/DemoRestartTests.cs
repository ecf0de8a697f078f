using System.Globalization;
using System.Text.Json;

namespace Spillway.EndToEnd.Tests.Faults;

/// <summary><c>spillway demo</c> when one of its nodes is killed: that node comes back, the others keep running.</summary>
public sealed class DemoRestartTests
{
    private static readonly int[] DemoPorts = [9101, 9102, 9103, 9104, 9105, 9201, 9202, 9203, 9204, 9205, 9301];
    private const int ManagerMetricsPort = 9101;
    private const int Worker1MetricsPort = 9104;

    [Fact]
    public async Task A_node_killed_with_signal_9_is_reported_restarted_and_named_again_while_the_others_keep_running()
    {
        var offset = DemoRuns.PickFreeOffset(DemoPorts);
        var workDir = Directory.CreateTempSubdirectory("spillway-e2e-demo-restart-").FullName;
        var demo = ChildProcess.Start("demo", RepoPaths.DotnetHost,
            [RepoPaths.SpillwayDll, "demo", "--no-top", "--port-offset", offset.ToString(CultureInfo.InvariantCulture), "--duration", "120"],
            Path.Combine(workDir, "demo.log"));
        var passed = false;
        try
        {
            string Context() => $"demo --port-offset {offset}; {demo.Describe(60)}";
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            async Task<string> Worker1NamedOnManagerAsync(string? notEndpoint)
            {
                return await Eventually.UntilAsync("worker-1 up and named on the manager" + (notEndpoint is null ? "" : $" with an endpoint other than {notEndpoint}"),
                    TimeSpan.FromSeconds(60), async () =>
                    {
                        if (demo.HasExited) throw new Xunit.Sdk.XunitException($"the demo exited with code {demo.ExitCode}.\n{Context()}");
                        using var self = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{Worker1MetricsPort + offset}/peers"));
                        var id = self.RootElement.GetProperty("endpoint").GetString()!;
                        using var manager = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{ManagerMetricsPort + offset}/peers"));
                        var named = manager.RootElement.GetProperty("peers").EnumerateArray()
                            .Any(p => p.GetProperty("endpoint").GetString() == id && p.GetProperty("name").GetString() == "worker-1");
                        return (named && id != notEndpoint, id, $"worker-1 is {id}; named on the manager: {named}");
                    }, Context);
            }

            var firstId = await Worker1NamedOnManagerAsync(null);
            var nodes = DemoSmokeTests.ChildrenRunningSpillwayNode(demo.Id);
            Assert.True(nodes.Count == 5, $"expected 5 node processes, found {nodes.Count}.\n{Context()}");
            var worker = nodes.Single(n => n.CommandLine.Contains("--name worker-1 ", StringComparison.Ordinal));

            using (var kill = System.Diagnostics.Process.Start("kill", ["-KILL", worker.Pid.ToString(CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();

            await Eventually.UntilAsync("the demo to report worker-1's crash and restart", TimeSpan.FromSeconds(30), () =>
            {
                var log = File.ReadAllText(demo.LogPath);
                var done = log.Contains("node worker-1 exited unexpectedly with code 137; restarting it in 1 s (restart 1)", StringComparison.Ordinal)
                           && log.Contains("node worker-1 restarted", StringComparison.Ordinal);
                return Task.FromResult((done, "not yet"));
            }, Context);
            var secondId = await Worker1NamedOnManagerAsync(firstId);
            Assert.NotEqual(firstId, secondId);

            // The other four are the very same processes; worker-1 is a new one; the demo still runs.
            var after = DemoSmokeTests.ChildrenRunningSpillwayNode(demo.Id);
            Assert.Equal(nodes.Where(n => n.Pid != worker.Pid).Select(n => n.Pid).Order(), after.Where(n => !n.CommandLine.Contains("--name worker-1 ", StringComparison.Ordinal)).Select(n => n.Pid).Order());
            Assert.DoesNotContain(after, n => n.Pid == worker.Pid);
            Assert.False(demo.HasExited, Context());

            demo.SendSigterm();
            Assert.True(await demo.WaitForExitAsync(TimeSpan.FromSeconds(30)), $"the demo did not stop on SIGTERM.\n{Context()}");
            Assert.True(demo.ExitCode == 0, $"exit code {demo.ExitCode}.\n{Context()}");
            DemoRuns.DeleteKeptLogs(File.ReadAllText(demo.LogPath));
            passed = true;
        }
        finally
        {
            await demo.DisposeAsync();
            if (passed) Directory.Delete(workDir, recursive: true);
            else Console.Error.WriteLine($"Spillway.EndToEnd.Tests: kept the demo's log in {workDir}");
        }
    }
}
