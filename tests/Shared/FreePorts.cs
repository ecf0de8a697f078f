using System.Net;
using System.Net.Sockets;

namespace Spillway.Tests.Shared;

internal static class FreePorts
{
    /// <summary>
    /// <paramref name="count"/> distinct free TCP ports on 127.0.0.1: binds them all to port 0 at once (so the
    /// kernel hands out distinct ones), then releases them for the processes about to use them.
    /// </summary>
    public static int[] Reserve(int count)
    {
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }
            return sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToArray();
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException) { return false; }
    }
}
