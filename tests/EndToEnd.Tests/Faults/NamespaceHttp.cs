using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Spillway.EndToEnd.Tests.Faults;

/// <summary>
/// An HTTP client whose connections are made inside a network namespace (<c>ip netns</c>), so the test process
/// can scrape a node that listens on an address existing only there. A socket belongs to the namespace of the
/// thread that created it: each connection is created on a short-lived thread that first joins the namespace.
/// </summary>
public static partial class NamespaceHttp
{
    private const int CloneNewNet = 0x40000000;

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);

    public static HttpClient Create(string netns) => new(new SocketsHttpHandler
    {
        ConnectCallback = (context, token) => ConnectAsync(netns, context.DnsEndPoint, token),
        PooledConnectionLifetime = TimeSpan.FromSeconds(5),
    }) { Timeout = TimeSpan.FromSeconds(5) };

    private static ValueTask<Stream> ConnectAsync(string netns, DnsEndPoint target, CancellationToken token)
    {
        var result = new TaskCompletionSource<Stream>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using (var handle = File.OpenHandle($"/var/run/netns/{netns}"))
                {
                    if (setns((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                        throw new IOException($"setns into network namespace {netns} failed (errno {Marshal.GetLastPInvokeError()})");
                }
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Connect(IPAddress.Parse(target.Host), target.Port);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                result.TrySetResult(new NetworkStream(socket, ownsSocket: true));
            }
            catch (Exception e)
            {
                result.TrySetException(e);
            }
        }) { IsBackground = true, Name = "netns connect" };
        thread.Start();
        return new ValueTask<Stream>(result.Task.WaitAsync(token));
    }
}
