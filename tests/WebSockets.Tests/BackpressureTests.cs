using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Xunit.Abstractions;

namespace Spillway.WebSockets.Tests;

public class BackpressureTests(ITestOutputHelper output)
{
    private const int WebSocketBufferSize = 64;
    private const int Window = 32;          // flood messages in flight towards the reading client, < WebSocketBufferSize
    private const int MinMessages = 2_000;
    private const int MaxMessages = 100_000; // 400 MB: far beyond any kernel socket buffering
    private static readonly string Payload = new('p', 4096);

    /// <summary>A client that reads every message and checks the flood arrives complete and in order.</summary>
    private sealed class ReadingClient
    {
        private long _received;
        public readonly SemaphoreSlim Credits = new(Window);

        public long Received => Interlocked.Read(ref _received);
        public string? Error { get; private set; }

        public Task RunAsync(TestClient client, CancellationToken stop) => Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var text = await client.ReceiveTextAsync(TimeSpan.FromSeconds(60));
                    using var document = JsonDocument.Parse(text);
                    var seq = document.RootElement.GetProperty("data")[0].GetProperty("data").GetInt64();
                    if (seq != Received) { Error = $"expected message {Received}, got {seq}"; return; }
                    Interlocked.Increment(ref _received);
                    Credits.Release();
                }
            }
            catch (Exception e) when (stop.IsCancellationRequested || e is WebSocketException) { Error ??= stop.IsCancellationRequested ? null : e.Message; }
        });
    }

    private sealed class Counter
    {
        private long _count;
        public long Count => Interlocked.Read(ref _count);
        public void Add() => Interlocked.Increment(ref _count);
    }

    [Fact]
    public async Task A_client_that_never_reads_overflows_its_own_buffer_and_costs_everyone_else_nothing()
    {
        await using var cluster = await TestCluster.StartAsync(
            new EndpointOptions { WebSocketBufferSize = WebSocketBufferSize, WebSocketOverflowPolicy = OverflowPolicy.DropOldest },
            new WebSocketGatewayOptions { CloseTimeout = TimeSpan.FromSeconds(2) });
        // A second peer of the flooding peer: a normal peer subscriber.
        await using var other = new SpillwayEndpoint();
        var otherCount = new Counter();
        using var otherSubscription = other.Subscribe("/flood/", (_, _) => otherCount.Add());
        var otherAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        other.PeerAdded += (_, _) => otherAdded.TrySetResult();
        cluster.Peer.Peer("127.0.0.1", other.Listen(IPAddress.Loopback, 0));
        await otherAdded.Task.WaitAsync(TimeSpan.FromSeconds(20));
        // And a local subscriber on the node: the node's inbound peering loses nothing either.
        var nodeCount = new Counter();
        using var nodeSubscription = cluster.Node.Subscribe("/flood/", (_, _) => nodeCount.Add());

        var fast = await cluster.ConnectAsync();
        await fast.SubscribeAsync("/flood/");
        var fastId = Assert.Single(cluster.ClientRows()).EndpointId;
        var slow = await cluster.ConnectAsync();
        await slow.SubscribeAsync("/flood/"); // and never reads again
        var slowId = Assert.Single(cluster.ClientRows(), r => r.EndpointId != fastId).EndpointId;
        await cluster.PeerKnowsNodeSubscriptionsAsync();
        await TestCluster.SyncSubscriptionsAsync(cluster.Peer, other);

        using var stop = new CancellationTokenSource();
        var reader = new ReadingClient();
        var reading = reader.RunAsync(fast, stop.Token);

        long SlowOverflows() => cluster.Node.TryGetPeeringStats(slowId, out var s) ? s.Overflows : throw new InvalidOperationException("slow client gone");

        // Flood from the peer, as fast as the reading client allows, until the slow client's buffer overflows
        // (kernel socket buffers and Kestrel's output buffer absorb some megabytes first).
        long published = 0;
        while (published < MaxMessages && !(published >= MinMessages && published % 100 == 0 && SlowOverflows() > 0))
        {
            Assert.True(await reader.Credits.WaitAsync(TimeSpan.FromSeconds(30)),
                $"the reading client stalled at {reader.Received} of {published}: {reader.Error}");
            await Eventually.HoldsAsync(() => published - otherCount.Count <= 4096,
                () => $"the other peer stalled at {otherCount.Count} of {published}");
            var offered = cluster.Peer.Publish("/flood/" + (published % 8),
                new VectorValue(new IntegerValue(published), new StringValue(Payload)));
            Assert.Equal(2, offered); // the node and the other peer
            published++;
        }

        await Eventually.HoldsAsync(
            () => reader.Received == published && nodeCount.Count == published && otherCount.Count == published,
            () => $"of {published}: reading client {reader.Received} ({reader.Error}), node {nodeCount.Count}, other peer {otherCount.Count}");
        stop.Cancel();
        Assert.Null(reader.Error);

        output.WriteLine($"published {published} messages of {Payload.Length} bytes; slow client overflows {SlowOverflows()}");
        Assert.True(SlowOverflows() > 0, $"slow client never overflowed after {published} messages");
        Assert.True(cluster.Node.TryGetPeeringStats(slowId, out var slowRow));
        Assert.Equal(WebSocketBufferSize, slowRow.Capacity);
        Assert.Equal(WebSocketBufferSize, slowRow.Queued); // full, and drop_oldest keeps it full
        Assert.True(cluster.Node.TryGetPeeringStats(fastId, out var fastRow));
        Assert.Equal(0, fastRow.Overflows);
        var clientRows = cluster.ClientRows();
        Assert.Contains(clientRows, r => r.EndpointId == slowId && r.Overflows > 0);
        Assert.Contains(clientRows, r => r.EndpointId == fastId && r.Overflows == 0);
        Assert.True(cluster.Peer.TryGetPeeringStats(cluster.Node.Id, out var toNode));
        Assert.Equal(0, toNode.Overflows);
        Assert.True(cluster.Peer.TryGetPeeringStats(other.Id, out var toOther));
        Assert.Equal(0, toOther.Overflows);
    }

    [Fact]
    public async Task Under_the_disconnect_policy_a_client_that_never_reads_is_dropped_and_its_socket_closed()
    {
        await using var cluster = await TestCluster.StartAsync(
            new EndpointOptions { WebSocketBufferSize = WebSocketBufferSize, WebSocketOverflowPolicy = OverflowPolicy.Disconnect },
            new WebSocketGatewayOptions { CloseTimeout = TimeSpan.FromSeconds(1) });
        var fast = await cluster.ConnectAsync();
        await fast.SubscribeAsync("/flood/");
        var fastId = Assert.Single(cluster.ClientRows()).EndpointId;
        var slow = await cluster.ConnectAsync();
        await slow.SubscribeAsync("/flood/");
        var slowId = Assert.Single(cluster.ClientRows(), r => r.EndpointId != fastId).EndpointId;
        await cluster.PeerKnowsNodeSubscriptionsAsync();

        using var stop = new CancellationTokenSource();
        var reader = new ReadingClient();
        var reading = reader.RunAsync(fast, stop.Token);

        long published = 0;
        while (published < MaxMessages && !(published % 100 == 0 && !cluster.Node.TryGetPeeringStats(slowId, out _)))
        {
            Assert.True(await reader.Credits.WaitAsync(TimeSpan.FromSeconds(30)),
                $"the reading client stalled at {reader.Received} of {published}: {reader.Error}");
            cluster.Peer.Publish("/flood/x", new VectorValue(new IntegerValue(published), new StringValue(Payload)));
            published++;
        }
        Assert.False(cluster.Node.TryGetPeeringStats(slowId, out _), $"slow client still attached after {published} messages");
        output.WriteLine($"slow client dropped after {published} messages");

        await Eventually.HoldsAsync(() => reader.Received == published,
            () => $"reading client got {reader.Received} of {published} ({reader.Error})");
        stop.Cancel();
        Assert.Null(reader.Error);
        Assert.True(cluster.Node.TryGetPeeringStats(fastId, out var fastRow));
        Assert.Equal(0, fastRow.Overflows);
        await Eventually.HoldsAsync(
            () => cluster.Logs.Lines.Any(l => l.Contains($"WebSocket client {slowId}") && l.Contains("left: backpressure overflow")),
            () => string.Join("\n", cluster.Logs.Lines.TakeLast(20)));

        // The server dropped the connection: once the slow client reads what reached its socket, the
        // connection ends (aborted, since the close frame could not get past the unread data).
        var ended = await Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var received = await slow.ReceiveAsync(TimeSpan.FromSeconds(20));
                    if (received.Type == WebSocketMessageType.Close) return $"closed {received.CloseStatus}";
                }
            }
            catch (WebSocketException e) { return "aborted: " + e.WebSocketErrorCode; }
        });
        Assert.True(ended.StartsWith("closed") || ended.StartsWith("aborted"), ended);
    }
}
