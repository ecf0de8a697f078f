using System.Net;
using System.Net.Sockets;

namespace Spillway.Node.Tests.Cluster;

/// <summary>Ports the OS reports free right now (bound to 0 and released), distinct within one call.</summary>
public static class FreePorts
{
    public static int[] Take(int count)
    {
        var sockets = Enumerable.Range(0, count).Select(_ =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return s;
        }).ToList();
        var ports = sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToArray();
        sockets.ForEach(s => s.Dispose());
        return ports;
    }
}
