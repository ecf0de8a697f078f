using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HdrHistogram;

namespace Spillway.Bench.Quick;

/// <summary>
/// The physical limits of this machine's loopback, measured by the same process family as the
/// systems under test: a plain socket pump (1 MiB writes, the receiver counts bytes) and a 64-byte
/// ping-pong with Nagle off (round-trip time, the floor under any publish -> delivery latency).
/// </summary>
internal static class RawTcp
{
    private const int Chunk = 1 << 20;
    public const int PingSize = 64;
    /// <summary>Bytes the pump's CPU is given per: one 1 KiB throughput frame of Spillway's (<see cref="SpillwayPeer.FrameSize"/>), so the two compare directly.</summary>
    public static readonly int CpuUnit = SpillwayPeer.FrameSize(1024);

    /// <summary>Child side of the pump: accepts one connection and adds every byte read to the delivered slot.</summary>
    public static (IAsyncDisposable Owner, int Port) StartSink(SharedCounters counters) =>
        Serve(socket =>
        {
            var buffer = new byte[Chunk];
            int n;
            while ((n = socket.Receive(buffer)) > 0) counters.Add(SharedCounters.Delivered, n);
        });

    /// <summary>Child side of the ping-pong: echoes fixed-size messages back.</summary>
    public static (IAsyncDisposable Owner, int Port) StartEcho() =>
        Serve(socket =>
        {
            var buffer = new byte[PingSize];
            while (ReadExactly(socket, buffer)) socket.Send(buffer);
        });

    private static (IAsyncDisposable, int) Serve(Action<Socket> handle)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var thread = new Thread(() =>
        {
            try
            {
                using var socket = listener.Accept();
                socket.NoDelay = true;
                handle(socket);
            }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
        }) { IsBackground = true, Name = "raw-tcp" };
        thread.Start();
        return (new Owner(listener), ((IPEndPoint)listener.LocalEndPoint!).Port);
    }

    private sealed class Owner(Socket listener) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() { listener.Dispose(); return ValueTask.CompletedTask; }
    }

    private static bool ReadExactly(Socket socket, byte[] buffer)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = socket.Receive(buffer, read, buffer.Length - read, SocketFlags.None);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    /// <summary>Publisher side of the pump: writes 1 MiB chunks until <paramref name="stop"/> is set.</summary>
    public static void Pump(int port, Func<bool> stop)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(IPAddress.Loopback, port);
        var chunk = new byte[Chunk];
        while (!stop()) socket.Send(chunk);
    }

    /// <summary>Round trips for <paramref name="duration"/>; returns the RTT histogram in nanoseconds.</summary>
    public static LongHistogram PingPong(int port, TimeSpan duration, TimeSpan warmup)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(IPAddress.Loopback, port);
        var histogram = new LongHistogram(TimeSpan.FromSeconds(10).Ticks * 100, 3);
        var buffer = new byte[PingSize];
        var nanosPerTick = 1e9 / Stopwatch.Frequency;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < warmup + duration)
        {
            var t0 = Stopwatch.GetTimestamp();
            socket.Send(buffer);
            if (!ReadExactly(socket, buffer)) break;
            if (clock.Elapsed >= warmup) histogram.RecordValue((long)((Stopwatch.GetTimestamp() - t0) * nanosPerTick));
        }
        return histogram;
    }
}
