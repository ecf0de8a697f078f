using System.Globalization;

namespace Spillway.EndToEnd.Tests;

/// <summary>
/// <c>spillway demo</c> as a user runs it: backpressure shows, SIGTERM stops everything cleanly. The waits are generous
/// bounds for a loaded CI machine (a passing run is as quick as the demo); --duration only stops an orphaned demo.
/// </summary>
public sealed class DemoSmokeTests
{
    // The demo layout's ports (docs/layout.md) before --port-offset.
    private static readonly int[] MetricsPorts = [9101, 9102, 9103, 9104, 9105];
    private static readonly int[] OtherPorts = [9201, 9202, 9203, 9204, 9205, 9301];

    private static async Task AssertRefusesClientWithoutCertificateAsync(int port, Func<string> context)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
        await using var ssl = new System.Net.Security.SslStream(new System.Net.Sockets.NetworkStream(socket, ownsSocket: false), false, (_, _, _, _) => true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await ssl.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = "manager" }, timeout.Token);
        Assert.True(ssl.SslProtocol == System.Security.Authentication.SslProtocols.Tls13, $"the peering port negotiated {ssl.SslProtocol}, expected TLS 1.3");
        // TLS 1.3 judges the client certificate after the handshake: the refusal is the connection ending on the first read.
        var refused = false;
        try { refused = await ssl.ReadAsync(new byte[512], timeout.Token) == 0; }
        catch (IOException) { refused = true; }
        Assert.True(refused, $"the peering port on {port} accepted a TLS client without a certificate.\n{context()}");
    }

    [Fact]
    public async Task Demo_shows_overflows_to_the_logger_and_stops_all_nodes_on_sigterm()
    {
        var offset = DemoRuns.PickFreeOffset([.. MetricsPorts, .. OtherPorts]);
        var workDir = Directory.CreateTempSubdirectory("spillway-e2e-demo-").FullName;
        var demo = ChildProcess.Start("demo", RepoPaths.DotnetHost,
            [RepoPaths.SpillwayDll, "demo", "--no-top", "--port-offset", offset.ToString(CultureInfo.InvariantCulture), "--duration", "300"],
            Path.Combine(workDir, "demo.log"));
        var passed = false;
        try
        {
            string Context() => $"demo --port-offset {offset}; {demo.Describe(40)}";
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };

            // Some node reports a buffer to the logger that overflowed and still holds messages.
            var evidence = await Eventually.UntilAsync(
                "some node's /metrics with spillway_peer_buffer_overflows_total{peer=\"logger\"} > 0 and spillway_peer_buffer_messages{peer=\"logger\"} > 0",
                TimeSpan.FromSeconds(120), async () =>
                {
                    if (demo.HasExited) throw new Xunit.Sdk.XunitException($"the demo exited early with code {demo.ExitCode}.\n{Context()}");
                    var seen = new List<string>();
                    foreach (var port in MetricsPorts.Select(p => p + offset))
                    {
                        string text;
                        try { text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"); }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { seen.Add($":{port} {e.Message}"); continue; }
                        var toLogger = PrometheusText.Parse(text).Samples.Where(s => s.Label("peer") == "logger").ToArray();
                        var overflows = toLogger.FirstOrDefault(s => s.Name == "spillway_peer_buffer_overflows_total");
                        var queued = toLogger.FirstOrDefault(s => s.Name == "spillway_peer_buffer_messages");
                        if (overflows is { Value: > 0 } && queued is { Value: > 0 }) return (true, $"{overflows}; {queued}", "");
                        seen.Add($":{port} {overflows?.ToString() ?? "(no overflow counter to logger)"}, {queued?.ToString() ?? "(no queue gauge to logger)"}");
                    }
                    return (false, "", string.Join(" | ", seen));
                }, Context);
            Assert.False(string.IsNullOrEmpty(evidence));

            // The peering ports speak TLS and refuse a client that shows no certificate (what `openssl s_client` without -cert does).
            await AssertRefusesClientWithoutCertificateAsync(OtherPorts[0] + offset, Context);

            // The five node processes are children of the demo.
            var nodes = ChildrenRunningSpillwayNode(demo.Id);
            Assert.True(nodes.Count == 5, $"expected 5 `spillway.dll node` children of the demo (pid {demo.Id}), found {nodes.Count}: " +
                                          string.Join(", ", nodes.Select(n => $"{n.Pid} {n.CommandLine}")) + $"\n{Context()}");

            // SIGTERM: the demo stops every node and exits 0, well before --duration would.
            demo.SendSigterm();
            Assert.True(await demo.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"the demo did not exit within 60 s of SIGTERM.\n{Context()}");
            Assert.True(demo.ExitCode == 0, $"the demo exited with code {demo.ExitCode} after SIGTERM, expected 0.\n{Context()}");

            await Eventually.UntilAsync($"no `spillway.dll node` process of the demo left (were pids {string.Join(", ", nodes.Select(n => n.Pid))})",
                TimeSpan.FromSeconds(30), () =>
                {
                    var left = nodes.Where(n => IsAlive(n.Pid, n.CommandLine))
                        .Concat(AllProcesses().Where(p => p.CommandLine.Contains("spillway.dll node", StringComparison.Ordinal) &&
                                                          p.CommandLine.Contains($"--exit-with-parent {demo.Id}", StringComparison.Ordinal)))
                        .Select(n => $"{n.Pid} {n.CommandLine}").Distinct().ToArray();
                    return Task.FromResult((left.Length == 0, string.Join("; ", left)));
                }, Context);

            // The demo's own log directory ("Logs are kept in <dir>"): ours to clean up.
            var log = File.ReadAllText(demo.LogPath);
            Assert.Contains("all nodes stopped", log);
            DemoRuns.DeleteKeptLogs(log);
            passed = true;
        }
        finally
        {
            await demo.DisposeAsync();
            if (passed) Directory.Delete(workDir, recursive: true);
            else Console.Error.WriteLine($"Spillway.EndToEnd.Tests: kept the demo's log in {workDir}");
        }
    }

    internal sealed record ProcInfo(int Pid, int ParentPid, string CommandLine);

    internal static IReadOnlyList<ProcInfo> ChildrenRunningSpillwayNode(int parentPid) =>
        AllProcesses().Where(p => p.ParentPid == parentPid && p.CommandLine.Contains("spillway.dll node", StringComparison.Ordinal)).ToArray();

    internal static IEnumerable<ProcInfo> AllProcesses()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            var info = Read(pid);
            if (info is not null) yield return info;
        }
    }

    /// <summary>Whether <paramref name="pid"/> still runs (not a zombie) the same command line.</summary>
    private static bool IsAlive(int pid, string commandLine)
    {
        var info = Read(pid);
        if (info is null || info.CommandLine != commandLine) return false;
        try
        {
            var state = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal)) ?? "";
            return !state.Contains('Z');
        }
        catch (IOException) { return false; }
    }

    private static ProcInfo? Read(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            var ppidLine = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            var ppid = ppidLine is null ? 0 : int.Parse(ppidLine[5..].Trim(), CultureInfo.InvariantCulture);
            return new ProcInfo(pid, ppid, cmdline);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
    }
}
