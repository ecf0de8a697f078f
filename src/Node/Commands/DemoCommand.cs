using Spillway.Engine;
using System.CommandLine;
using Spillway.Node.Demo;
using Spillway.Node.Security;
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
        var offset = CommonOptions.WholeNumber("--port-offset",
            "Shift every port of the demo layout (default ports: metrics 9101-9105, peering 9201-9205, WebSocket 9301)",
            -9000, 56000, "a whole number of ports", 0);
        var noTop = new Option<bool>("--no-top") { Description = "Print the nodes' logs instead of the live view" };
        var noMonitoring = new Option<bool>("--no-monitoring")
        {
            Description = "Do not start Prometheus and Alertmanager (started by default when the Debian packages prometheus and prometheus-alertmanager are installed)",
        };
        var duration = CommonOptions.WholeNumber("--duration", "Stop by itself after this many seconds", 1, 7 * 24 * 3600, "a whole number of seconds");
        var noRestart = new Option<bool>("--no-restart") { Description = "Stop the whole demo when a node exits, instead of restarting that node (1 s doubling to 30 s)" };
        var command = new Command("demo", "Run a local five-node cluster (manager, logger, proxy-1, worker-1, worker-2) with live metrics")
        {
            exporter, offset, noTop, noMonitoring, duration, noRestart,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(exporter), parse.GetValue(offset), parse.GetValue(noTop),
            !parse.GetValue(noMonitoring), parse.GetValue(duration), !parse.GetValue(noRestart), ct));
        return command;
    }

    private static async Task<int> RunAsync(string? exporterName, int portOffset, bool noTop, bool monitor, int? durationSeconds,
        bool restart, CancellationToken cancellationToken)
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
            Console.Error.WriteLine($"spillway demo: ports already in use: {string.Join(", ", busy)}; stop what holds them (an earlier demo?) or shift the demo's ports with --port-offset 1000");
            return ExitCodes.BadConfiguration;
        }

        var workDir = Directory.CreateTempSubdirectory("spillway-demo-").FullName;
        var layoutPath = Path.Combine(workDir, "demo-layout.json");
        layout = DemoCertificates.Create(layout, workDir);
        await File.WriteAllTextAsync(layoutPath, layout.ToJson(), cancellationToken);
        var showTop = !noTop && !Console.IsOutputRedirected;
        var logs = new DemoLogs(workDir, toConsole: !showTop);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (durationSeconds is { } seconds) stop.CancelAfter(TimeSpan.FromSeconds(seconds));

        var monitoringLogs = new DemoLogs(workDir, toConsole: false);
        await using var monitoring = monitor && DemoMonitoring.IsInstalled
            ? DemoMonitoring.Start(layout, portOffset, workDir, monitoringLogs.Write)
            : null;
        var banner = Banner(layout, exporter, workDir, layoutPath, showTop, monitor, monitoring);
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
                if (showTop) await ShowLiveViewAsync(layout, monitoring, () => supervisor.Restarts, stop.Token);
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
            foreach (var (name, code) in monitoring?.Exited() ?? [])
                Console.Error.WriteLine($"spillway demo: {name} exited early with code {code}; its log: {monitoringLogs.PathOf(name == "prometheus" ? "prometheus" : "alertmanager")}");
            Console.WriteLine("spillway demo: stopping all nodes...");
        }
        if (monitoring is not null) await monitoring.DisposeAsync();
        monitoringLogs.Dispose();
        logs.Dispose();
        Console.WriteLine($"spillway demo: all nodes stopped. Logs are kept in {workDir}");
        return exitCode;
    }

    private static async Task ShowLiveViewAsync(ClusterLayout layout, DemoMonitoring? monitoring,
        Func<IReadOnlyDictionary<string, int>> restarts, CancellationToken token)
    {
        var title = "spillway demo" + (monitoring is null ? "" : $"  prometheus {monitoring.PrometheusUrl}") + "  Ctrl-C stops";
        // The nodes are starting as the view opens: "starting", not DOWN, for their first 30 s. Each node's line shows
        // how often the supervisor restarted it.
        await TopLoop.RunOnAlternateScreenAsync(TopLoop.FromLayout(layout), Console.Out, token, title, new TopHistory(), restarts);
    }

    private static string Banner(ClusterLayout layout, MetricsExporterKind exporter, string workDir, string layoutPath, bool showTop,
        bool monitor, DemoMonitoring? monitoring)
    {
        var lines = new List<string> { $"Spillway demo: {layout.Nodes.Count} nodes on 127.0.0.1, exporter {exporter.ToSettingValue()}; Ctrl-C stops them all." };
        foreach (var n in layout.Nodes)
            lines.Add($"  {n.Name,-9} {n.Role.ToName(),-8} metrics http://{n.Host}:{n.MetricsPort}{SpillwayRoutes.Metrics}  peers http://{n.Host}:{n.MetricsPort}{SpillwayRoutes.Peers}" +
                      (n.WebSocketPort is { } ws ? $"  websocket wss://{n.Host}:{ws}{SpillwayRoutes.WebSocketJson}" : ""));
        lines.Add($"  Peerings and WebSocket use TLS with a throwaway CA: {DemoCertificates.AuthorityPath(workDir)} (spillway watch --ca it).");
        lines.Add("  The logger reads slowly: watch the workers' buffers to it fill and their overflow counters rise.");
        lines.Add($"  Layout: {layoutPath}  (spillway top --layout {layoutPath})");
        if (monitoring is not null)
        {
            lines.Add($"  Prometheus   {monitoring.PrometheusUrl}  alerts {monitoring.PrometheusUrl}/alerts  config {monitoring.PrometheusConfig}");
            lines.Add($"  Alertmanager {monitoring.AlertmanagerUrl}  config {monitoring.AlertmanagerConfig}");
            foreach (var note in monitoring.Notes) lines.Add($"  Monitoring: {note}");
        }
        else if (!monitor)
            lines.Add("  Monitoring off (--no-monitoring).");
        else
            lines.Add($"  Prometheus and Alertmanager are not installed; to have the demo start them too: {DemoMonitoring.InstallHint}");
        lines.Add(showTop ? $"  Node logs: {workDir}/<node>.log" : "  (node logs follow, prefixed by node name)");
        return string.Join('\n', lines);
    }
}
