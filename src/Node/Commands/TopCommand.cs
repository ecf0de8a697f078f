using System.CommandLine;
using Spillway.Node.Top;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Commands;

/// <summary><c>spillway top --layout FILE</c>: a live view of every node's buffers, refreshed every second from <c>/peers</c>.</summary>
internal static class TopCommand
{
    public static Command Create()
    {
        var layout = new Option<string>("--layout") { Description = "Cluster layout JSON file", Required = true };
        var command = new Command("top", "Live view of every node's peer buffers (fill, recent max, overflows and rate, disconnects)") { layout };
        command.SetAction(async (parse, ct) =>
        {
            ClusterLayout cluster;
            try { cluster = LayoutLoader.Load(parse.GetValue(layout)!); }
            catch (LayoutException e)
            {
                Console.Error.WriteLine($"spillway top: {e.Message}");
                return ExitCodes.BadConfiguration;
            }
            try
            {
                if (Console.IsOutputRedirected) await TopLoop.RunAsync(TopLoop.FromLayout(cluster), Console.Out, ansi: false, ct);
                else await TopLoop.RunOnAlternateScreenAsync(TopLoop.FromLayout(cluster), Console.Out, ct);
            }
            catch (OperationCanceledException) { }
            return ExitCodes.Ok;
        });
        return command;
    }
}
