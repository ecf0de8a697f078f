using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;

namespace Spillway.Bench;

/// <summary>
/// <c>limits</c> mode: the memory targets of issue 11, measured on an endpoint with default settings in this process.
/// (1) 64 connections each declare a 16 MiB frame before any hello and try to send 15 MiB of it: RSS growth must stay
/// within 64 MiB. (2) A client session that never drains (the engine side of a stalled WebSocket client) is fed 300
/// messages of 1 MB (1,000,000 ASCII characters; 2 MB each in memory): RSS growth must stay within the byte bound (websocket_buffer_bytes, 64 MiB) plus 64 MiB.
/// RSS is read from the OS after a full GC, before and after each attack, with the attack's connections still open.
/// </summary>
internal static class LimitsMemory
{
    private const int MiB = 1024 * 1024;

    public static async Task<int> RunAsync()
    {
        var options = new EndpointOptions();
        await using var endpoint = new SpillwayEndpoint(options);
        var port = endpoint.Listen(IPAddress.Loopback, 0);
        Console.WriteLine($"defaults: handshake_max_bytes {options.HandshakeMaxBytes}, max_frame_size {options.MaxFrameSize}, websocket_buffer_bytes {options.WebSocketBufferBytes}");

        var before = Rss();
        var chunk = new byte[MiB];
        var sockets = new List<Socket>();
        var refusedEarly = 0;
        for (var i = 0; i < 64; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port);
            sockets.Add(socket);
            var header = new byte[5];
            BinaryPrimitives.WriteUInt32BigEndian(header, 16 * MiB);
            header[4] = 1;
            try
            {
                await socket.SendAsync(header);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                for (var sent = 0; sent < 15; sent++) await socket.SendAsync(chunk, SocketFlags.None, timeout.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException) { refusedEarly++; }
        }
        var afterHandshakeAttack = Rss();
        Console.WriteLine($"64 x 16 MiB before a hello: RSS {Format(before)} -> {Format(afterHandshakeAttack)}, growth {Format(afterHandshakeAttack - before)} " +
            $"(target <= 64 MiB); {refusedEarly} of 64 senders saw the connection closed; handshake_bytes refusals {endpoint.Refusals[RefusalReason.HandshakeBytes]}");
        foreach (var s in sockets) s.Dispose();

        before = Rss();
        var session = endpoint.AttachClient("stalled", ["big/"]);
        // A distinct 1 MB message each time, as 300 publishes from clients or peers would be.
        for (var i = 0; i < 300; i++) endpoint.Publish("big/x", Value.Of(new string((char)('a' + i % 26), 1_000_000)));
        var afterStalled = Rss();
        endpoint.TryGetPeeringStats(session.Id, out var row);
        Console.WriteLine($"stalled client, 300 x 1 MB: RSS {Format(before)} -> {Format(afterStalled)}, growth {Format(afterStalled - before)} " +
            $"(target <= {Format(options.WebSocketBufferBytes)} + 64 MiB); queued {row.Queued} messages / {Format(row.QueuedBytes)}, overflows {row.Overflows}");
        GC.KeepAlive(session);
        return 0;
    }

    private static long Rss()
    {
        // Dropped messages are garbage, not held memory: compact them away (the LOH too) and let the GC decommit.
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        Thread.Sleep(1000);
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static string Format(long bytes) => (bytes / (double)MiB).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
