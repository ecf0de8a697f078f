using System.Net.WebSockets;
using System.Text;

namespace Spillway.Bench.Quick;

/// <summary>
/// The WebSocket JSON path against the peering path (issue 14, item 5). A second process runs a node
/// with the WebSocket gateway (<c>quick-child wsnode</c>); this process holds both the JSON client and
/// the Spillway peer, so both ends of the path are counted here:
///   to-client: this process's endpoint publishes -> peering -> node -> client session -> WebSocket -> this client counts text messages;
///   from-client: this client sends JSON data messages -> node publishes -> peering -> this process's subscribing endpoint counts.
/// Same publisher loop and flow control as the throughput trials (window 4,096, inside the node's
/// 8,192-message client buffer).
/// </summary>
internal static class WebSocketPath
{
    private const int Window = 4096;
    private const int CheckEvery = 256;

    /// <returns>Messages/s to the client, and CPU per message of this process (publisher and client) and of the node.</returns>
    public static async Task<(double Rate, CpuUse Cpu)> ToClientAsync(int payload, TimeSpan warmup, TimeSpan measure)
    {
        using var counters = SharedCounters.Create();
        using var child = await SubscriberProcess.StartAsync("wsnode", 0, counters, latency: false);
        using var client = await ConnectClientAsync(child.Ports[1], $"[\"{SpillwayPeer.Topic}\"]");
        // Peer after the client attached, so the node's hello already announces the client's subscription.
        await using var sender = await SpillwayPeer.ConnectAsync([child.Ports[0]], payload);
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var r = await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (r.MessageType == WebSocketMessageType.Close) return;
                    if (r.EndOfMessage) counters.Add(SharedCounters.Delivered, 1);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException) { } // our Abort ends the read
        });
        var cpu = new CpuMeter(("publisher and client", Environment.ProcessId), ("node", child.ProcessId));
        var measured = await RunAsync(() => sender.Send(0), () => sender.Congested, counters, warmup, measure, cpu);
        client.Abort();
        await reading;
        return measured;
    }

    /// <returns>Messages/s from the client to the peer, and CPU per message of this process (client and subscriber) and of the node.</returns>
    public static async Task<(double Rate, CpuUse Cpu)> FromClientAsync(int payload, TimeSpan warmup, TimeSpan measure)
    {
        using var counters = SharedCounters.Create();
        using var child = await SubscriberProcess.StartAsync("wsnode", 0, counters, latency: false);
        await using var subscriber = await SpillwayPeer.StartSubscriberDialingAsync(child.Ports[0], counters);
        using var client = await ConnectClientAsync(child.Ports[1], "[]");
        var message = SpillwayPeer.JsonDataMessage(payload);
        var cpu = new CpuMeter(("client and subscriber", Environment.ProcessId), ("node", child.ProcessId));
        var measured = await RunAsync(() =>
        {
            var sending = client.SendAsync(message.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            if (!sending.IsCompletedSuccessfully) sending.AsTask().GetAwaiter().GetResult();
        }, () => false, counters, warmup, measure, cpu);
        client.Abort();
        return measured;
    }

    private static async Task<ClientWebSocket> ConnectClientAsync(int httpPort, string subscriptions)
    {
        var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{httpPort}/v1/messages/json"), CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes(subscriptions), WebSocketMessageType.Text, true, CancellationToken.None);
        var ack = new byte[4096];
        var r = await client.ReceiveAsync(ack.AsMemory(), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var text = Encoding.UTF8.GetString(ack, 0, r.Count);
        if (!text.Contains("\"ack\"", StringComparison.Ordinal)) throw new InvalidOperationException($"no ack from the WebSocket gateway: {text}");
        return client;
    }

    /// <summary>Publishes with flow control for warmup + measure; delivered msgs/s over the measured part, and the CPU <paramref name="cpu"/> saw then.</summary>
    private static async Task<(double Rate, CpuUse Cpu)> RunAsync(Action send, Func<bool> congested, SharedCounters counters, TimeSpan warmup, TimeSpan measure, CpuMeter cpu)
    {
        var stop = false;
        var thread = new Thread(() =>
        {
            var n = 0L;
            while (!Volatile.Read(ref stop))
            {
                send();
                if (++n % CheckEvery != 0) continue;
                var spin = new SpinWait();
                while (!Volatile.Read(ref stop) && (n - counters.Read(SharedCounters.Delivered) > Window || congested())) spin.SpinOnce();
            }
        }) { IsBackground = true, Name = "ws-publisher" };
        thread.Start();
        var (rate, used) = await MeasuredWindow.MeasureAsync(counters, warmup, measure, cpu);
        Volatile.Write(ref stop, true);
        thread.Join();
        return (rate, used);
    }
}
