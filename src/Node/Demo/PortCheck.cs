using System.Net;
using System.Net.Sockets;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Demo;

/// <summary>Finds the layout's ports that something else already holds, before any node starts.</summary>
internal static class PortCheck
{
    public static IReadOnlyList<string> PortsInUse(ClusterLayout layout)
    {
        var busy = new List<string>();
        foreach (var node in layout.Nodes)
        {
            foreach (var (field, port) in new[] { ("peering_port", node.PeeringPort), ("metrics_port", node.MetricsPort), ("websocket_port", node.WebSocketPort ?? 0) })
            {
                if (port == 0) continue;
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try { probe.Bind(new IPEndPoint(IPAddress.Loopback, port)); }
                catch (SocketException) { busy.Add($"{port} ({node.Name} {field})"); }
            }
        }
        return busy;
    }
}
