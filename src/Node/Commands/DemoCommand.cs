using System.CommandLine;
using Spillway.Node.Demo;
using Spillway.Node.Top;
using Spillway.Telemetry.Export;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Commands;

/// <summary>
/// <c>spillway demo</c>: the built-in five-node cluster on loopback, each node its own process, with a
/// workload in which the logger reads slowly; shows the live view (or the nodes' logs when output is not
/// a terminal) until Ctrl-C, then stops every process it started.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var exporter = CommonOptions.Exporter();
        var offset = new Option<int>("--port-offset") { Description = "Shift every port of the demo layout (default ports: metrics 9101-9105, peering 9201-9205, WebSocket 9301)" };
        var noTop = new Option<bool>("--no-top") { Description = "Print the nodes' logs instead of the live view" };
        var duration = new Option<int?>("--duration") { Description = "Stop by itself after this many seconds" };
        var noRestart = new Option<bool>("--no-restart") { Description = "Stop the whole demo when a node exits, instead of restarting that node (1 s doubling to 30 s)" };
        var command = new Command("demo", "Run a local five-node cluster (manager, logger, proxy-1, worker-1, worker-2) with live metrics")
        {
            exporter, offset, noTop, duration, noRestart,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(exporter), parse.GetValue(offset), parse.GetValue(noTop),
            parse.GetValue(duration), !parse.GetValue(noRestart), ct));
        return command;
    }

    private static async Task<int> RunAsync(string? exporterName, int portOffset, bool noTop, int? durationSeconds, bool restart, CancellationToken cancellationToken)
    {
        ClusterLayout layout;
        MetricsExporterKind exporter;
        try
        {
            exporter = CommonOptions.ParseExporter(exporterName);
            layout = DemoLayout.Create().WithPortOffset(portOffset);
        }
        catch (Exception e) when (e is ArgumentException or LayoutException)
        {
            Console.Error.WriteLine($"spillway demo: {e.Message}");
            return ExitCodes.BadConfiguration;
        }
        var busy = PortCheck.PortsInUse(layout);
        if (busy.Count > 0)
        {
            Console.Error.WriteLine($"spillway demo: ports already in use: {string.Join(", ", busy)}.");
            Console.Error.WriteLine("Stop what holds them (an earlier demo?) or shift the demo's ports: spillway demo --port-offset 1000");
            return ExitCodes.BadConfiguration;
        }

        var workDir = Directory.CreateTempSubdirectory("spillway-demo-").FullName;
        var layoutPath = Path.Combine(workDir, "demo-layout.json");
        await File.WriteAllTextAsync(layoutPath, layout.ToJson(), cancellationToken);
        var showTop = !noTop && !Console.IsOutputRedirected;
        var logs = new DemoLogs(workDir, toConsole: !showTop);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (durationSeconds is { } seconds) stop.CancelAfter(TimeSpan.FromSeconds(seconds));

        var banner = Banner(layout, exporter, workDir, showTop);
        Console.WriteLine(banner);
        var exitCode = ExitCodes.Ok;
        await using (var cluster = new ClusterProcesses())
        {
            cluster.Start(layoutPath, layout, ["--workload", "--exporter", exporter.ToSettingValue()], logs.Write);
            // Crashes and restarts go to demo.log beside the nodes' logs (echoed to the console without the live view).
            var supervisor = new NodeSupervisor(cluster, restart, TimeProvider.System, line => logs.Write("demo", line),
                node => logs.Tail(node, 15), logs.PathOf);
            var watch = supervisor.RunAsync(stop);
            try
            {
                if (showTop) await ShowLiveViewAsync(layout, banner, stop.Token);
                else await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException) { }
            if (await watch is { } crashed)
            {
                Console.Error.WriteLine($"spillway demo: node {crashed.Node.Name} exited with code {crashed.ExitCode}; its log: {logs.PathOf(crashed.Node.Name)}");
                foreach (var line in logs.Tail(crashed.Node.Name, 15)) Console.Error.WriteLine($"  {line}");
                Console.Error.WriteLine("Stopping the other nodes.");
                exitCode = ExitCodes.Failed;
            }
            Console.WriteLine("spillway demo: stopping all nodes...");
        }
        logs.Dispose();
        Console.WriteLine($"spillway demo: all nodes stopped. Logs are kept in {workDir}");
        return exitCode;
    }

    private static async Task ShowLiveViewAsync(ClusterLayout layout, string banner, CancellationToken token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(800) };
        var poller = new NodePoller(TopLoop.FromLayout(layout), http);
        IReadOnlyList<NodeStatus>? previous = null;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            var current = await poller.PollAsync(token);
            var width = Math.Max(80, SafeWindowWidth());
            Console.Write("\u001b[H\u001b[2J" + banner + "\n" + TopRenderer.Render(current, previous, width));
            previous = current;
        } while (await timer.WaitForNextTickAsync(token));
    }

    private static int SafeWindowWidth()
    {
        try { return Console.WindowWidth; } catch (IOException) { return 120; }
    }

    private static string Banner(ClusterLayout layout, MetricsExporterKind exporter, string workDir, bool showTop)
    {
        var lines = new List<string> { $"Spillway demo: {layout.Nodes.Count} nodes on 127.0.0.1, exporter {exporter.ToSettingValue()}; Ctrl-C stops them all." };
        foreach (var n in layout.Nodes)
            lines.Add($"  {n.Name,-9} {n.Role.ToName(),-8} metrics http://{n.Host}:{n.MetricsPort}/metrics  peers http://{n.Host}:{n.MetricsPort}/peers" +
                      (n.WebSocketPort is { } ws ? $"  websocket ws://{n.Host}:{ws}/v1/messages/json" : ""));
        lines.Add("  The logger reads slowly: watch the workers' buffers to it fill and their overflow counters rise.");
        lines.Add("  Prometheus: prometheus --config.file=prometheus.yml (scrapes these ports); alerts and dashboards: README, Monitoring.");
        lines.Add(showTop ? $"  Node logs: {workDir}/<node>.log" : "  (node logs follow, prefixed by node name)");
        return string.Join('\n', lines);
    }
}
