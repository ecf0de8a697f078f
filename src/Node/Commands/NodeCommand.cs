using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Spillway.Node.Hosting;
using Spillway.Node.Security;
using Spillway.Telemetry.Export;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Commands;

/// <summary><c>spillway node --layout FILE --name NAME</c>: runs one node of a cluster until Ctrl-C.</summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var layout = new Option<string>("--layout") { Description = "Cluster layout JSON file (see docs/layout.md)", Required = true };
        var name = new Option<string>("--name") { Description = "This node's name in the layout", Required = true };
        var exporter = CommonOptions.Exporter();
        var workload = new Option<bool>("--workload") { Description = "Publish the demo's synthetic traffic for this node's role" };
        var parentPid = CommonOptions.WholeNumber("--exit-with-parent", "Stop when the process with this id exits (used by demo)", 1, int.MaxValue, "a process id");
        parentPid.Hidden = true;
        var webConfig = new Option<string?>("--web-config-file") { Description = "Protect /metrics and /peers: exporter-toolkit web config (TLS, basic auth); see docs/security.md" };
        var command = new Command("node", "Run one node: peerings per the layout, /metrics and /peers on its metrics port")
        {
            layout, name, exporter, workload, parentPid, webConfig,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(layout)!, parse.GetValue(name)!, parse.GetValue(exporter),
            parse.GetValue(workload), parse.GetValue(parentPid), parse.GetValue(webConfig), ct));
        return command;
    }

    private static async Task<int> RunAsync(string layoutPath, string name, string? exporterName, bool workload, int? parentPid,
        string? webConfigPath, CancellationToken cancellationToken)
    {
        ClusterLayout layout;
        NodeSpec node;
        MetricsExporterKind exporter;
        NodeSecurity security;
        WebConfig? web;
        try
        {
            layout = LayoutLoader.Load(layoutPath);
            node = layout.Get(name);
            exporter = CommonOptions.ParseExporter(exporterName);
            security = NodeSecurity.Load(layout, node);
            web = webConfigPath is null ? null : WebConfigLoader.Load(webConfigPath);
        }
        catch (LayoutException e)
        {
            Console.Error.WriteLine($"spillway node: {e.Message}");
            return ExitCodes.BadConfiguration;
        }

        using var loggerFactory = NodeLogging.CreateFactory();
        var logger = loggerFactory.CreateLogger("Spillway.Node");
        NodeHost host;
        try
        {
            host = await NodeHost.StartAsync(layout, node, new NodeHostOptions { Exporter = exporter, Workload = workload, Security = security, WebConfig = web },
                loggerFactory, cancellationToken);
        }
        catch (NodeStartException e)
        {
            // Nothing was started: a usage error in the layout's terms, like a bad field.
            Console.Error.WriteLine($"spillway node: {layout.Source}: {e.Message}");
            return ExitCodes.BadConfiguration;
        }

        await using (host)
        {
            try
            {
                await WaitForStopAsync(parentPid, cancellationToken);
            }
            catch (OperationCanceledException) { }
            logger.LogInformation("{Node}: stopping", node.Name);
        }
        return ExitCodes.Ok;
    }

    private static async Task WaitForStopAsync(int? parentPid, CancellationToken cancellationToken)
    {
        if (parentPid is not { } pid)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return;
        }
        // Run by `spillway demo`: never outlive it, even if it was killed without a chance to clean up.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(cancellationToken))
            if (!IsAlive(pid)) return;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
    }
}
