using System.Globalization;

namespace Spillway.EndToEnd.Tests;

/// <summary><c>spillway node</c> run the way a service manager (SIGTERM) or a terminal (SIGINT, Ctrl-C) stops it.</summary>
public sealed class NodeShutdownTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Node_exits_0_on_the_signal(string signal)
    {
        var workDir = Directory.CreateTempSubdirectory("spillway-e2e-node-").FullName;
        var ports = FreePorts.Reserve(2);
        var layout = Path.Combine(workDir, "layout.json");
        await File.WriteAllTextAsync(layout, $$"""
            { "tls": "off", "nodes": [ { "name": "logger", "role": "logger", "host": "127.0.0.1", "peering_port": {{ports[0]}}, "metrics_port": {{ports[1]}} } ] }
            """);
        // A signal ignored when a process starts stays ignored across exec, and a shell without job control starts
        // background commands with SIGINT ignored (`./test.sh &` from a script): the node would then rightly never
        // see the signal. env resets both to their defaults, so the test holds however the suite was launched.
        var node = ChildProcess.Start("logger", "/usr/bin/env",
            ["--default-signal=INT,TERM", RepoPaths.DotnetHost, RepoPaths.SpillwayDll, "node", "--layout", layout, "--name", "logger",
             "--exit-with-parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
            Path.Combine(workDir, "logger.log"));
        var passed = false;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            await Eventually.UntilAsync($"the node to serve http://127.0.0.1:{ports[1]}/metrics", TimeSpan.FromSeconds(60), async () =>
            {
                if (node.HasExited) throw new Xunit.Sdk.XunitException($"the node exited early.\n{node.Describe()}");
                using var response = await http.GetAsync($"http://127.0.0.1:{ports[1]}/metrics");
                return (response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}");
            }, () => node.Describe());

            node.SendSignal(signal);
            // A generous bound on waiting for the exit (a loaded CI machine), not a speed requirement.
            Assert.True(await node.WaitForExitAsync(TimeSpan.FromSeconds(30)), $"the node did not exit within 30 s of SIG{signal}.\n{node.Describe()}");
            Assert.True(node.ExitCode == 0, $"the node exited with code {node.ExitCode} after SIG{signal}, expected 0.\n{node.Describe()}");
            passed = true;
        }
        finally
        {
            await node.DisposeAsync();
            if (passed) Directory.Delete(workDir, recursive: true);
            else Console.Error.WriteLine($"Spillway.EndToEnd.Tests: kept the node's log in {workDir}");
        }
    }
}
