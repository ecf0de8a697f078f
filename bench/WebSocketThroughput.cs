using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.WebSockets;

namespace Spillway.Bench;

/// <summary>
/// Delivery throughput from a publish to one WebSocket client (not BenchmarkDotNet).
///
///   websocket-throughput [--seconds N] [--warmup N] [--payload BYTES]
///
/// One endpoint serves the WebSocket JSON API on 127.0.0.1 (Kestrel); one ClientWebSocket subscribes to
/// "bench/ws" and counts the data messages it receives. One publisher thread publishes StringValues of
/// PAYLOAD characters on the endpoint, backing off (checked every 256 messages) while the client's buffer
/// (drop_newest, capacity 8192) is more than half full, so what is measured is delivered messages/s;
/// any overflow is reported.
/// </summary>
internal static class WebSocketThroughput
{
    private const string Topic = "bench/ws";
    private const int CheckEvery = 256;
    private const int Capacity = 8192;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = 10;
        var warmup = 2;
        var payload = 64;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--payload": payload = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown argument {args[i]}; usage: websocket-throughput [--seconds N] [--warmup N] [--payload BYTES]");
                    return 2;
            }
        }

        await using var endpoint = new SpillwayEndpoint(new EndpointOptions
        {
            WebSocketBufferSize = Capacity,
            WebSocketOverflowPolicy = OverflowPolicy.DropNewest,
        });
        var (app, uri) = await BenchWebSocketHost.StartAsync(endpoint);
        await using var _ = app;

        using var client = new ClientWebSocket();
        await client.ConnectAsync(uri, CancellationToken.None);
        await client.SendAsync("[\"bench/ws\"]"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        await ReceiveMessageAsync(client, buffer); // the ack

        long received = 0;
        using var stop = new CancellationTokenSource();
        var receiver = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await ReceiveMessageAsync(client, buffer, stop.Token);
                    Interlocked.Increment(ref received);
                }
            }
            catch (OperationCanceledException) { }
            catch (WebSocketException) { }
        });

        var value = Value.Of(new string('x', payload));
        var publisher = new Thread(() =>
        {
            long n = 0;
            while (!stop.IsCancellationRequested)
            {
                endpoint.Publish(Topic, value);
                if (++n % CheckEvery != 0) continue;
                while (!stop.IsCancellationRequested && ClientQueued(endpoint) > Capacity / 2) Thread.Yield();
            }
        }) { IsBackground = true };
        publisher.Start();

        await Task.Delay(TimeSpan.FromSeconds(warmup));
        var start = Interlocked.Read(ref received);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var delivered = Interlocked.Read(ref received) - start;
        var elapsed = clock.Elapsed.TotalSeconds;
        stop.Cancel();
        publisher.Join();
        var overflows = endpoint.GetPeeringStats().Rows.Where(r => r.Kind == SubscriberKind.Client).Sum(r => r.Overflows);
        Console.WriteLine(FormattableString.Invariant(
            $"websocket delivery: {delivered / elapsed:N0} msgs/s over {elapsed:0.0} s (payload {payload} chars, overflows {overflows})"));
        client.Abort();
        await receiver;
        await app.StopAsync();
        return 0;
    }

    private static int ClientQueued(SpillwayEndpoint endpoint)
    {
        // Only the publisher thread reads the stats table, so its in-place refill is safe here.
        foreach (var row in endpoint.GetPeeringStats().Rows)
            if (row.Kind == SubscriberKind.Client) return row.Queued;
        return 0;
    }

    private static async Task ReceiveMessageAsync(ClientWebSocket client, byte[] buffer, CancellationToken token = default)
    {
        ValueWebSocketReceiveResult result;
        do result = await client.ReceiveAsync(buffer.AsMemory(), token);
        while (!result.EndOfMessage);
    }
}
