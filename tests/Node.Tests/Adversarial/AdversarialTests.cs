using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Telemetry.Export;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Tests.Adversarial;

/// <summary>
/// Issue 11's attacks replayed against a real node (engine, naming, /metrics, WebSocket API): each is refused or
/// closed with a counted reason, and through all of it the node answers /metrics and delivers a real peer's traffic.
/// Outcomes and counts only; every wait is bounded by 30 s.
/// </summary>
public class AdversarialTests
{
    private const int SixteenMiB = 16 * 1024 * 1024;

    [Fact]
    public async Task Sixty_four_connections_declaring_16_MiB_frames_before_a_hello_are_closed_and_counted()
    {
        await using var cluster = new AdversarialCluster(LimitSettings.Default);
        await cluster.StartAsync();

        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < 64; i++)
            {
                var socket = await RawWire.ConnectAsync(cluster.PeeringPort);
                sockets.Add(socket);
                await RawWire.SendAllowingResetAsync(socket, [.. RawWire.Header(SixteenMiB, RawWire.Hello), .. new byte[60_000]]);
            }
            foreach (var socket in sockets) Assert.True(await RawWire.ClosedByNodeAsync(socket), "the node kept a connection that declared 16 MiB before its hello");
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }

        await AdversarialCluster.EventuallyAsync(async () => await cluster.RefusedAsync("handshake_bytes") == 64,
            async () => $"handshake_bytes refusals: {await cluster.RefusedAsync("handshake_bytes")}");
        // Every slot was given back: only the worker's peering is held.
        await AdversarialCluster.EventuallyAsync(() => Task.FromResult(cluster.Manager.Endpoint.InboundConnections == 1),
            () => Task.FromResult($"{cluster.Manager.Endpoint.InboundConnections} inbound connections held"));
        await cluster.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_frame_that_stalls_half_way_after_the_hello_times_out()
    {
        await using var cluster = new AdversarialCluster(LimitSettings.Default with { FrameReadTimeout = TimeSpan.FromSeconds(1) });
        await cluster.StartAsync();

        using var socket = await RawWire.ConnectAsync(cluster.PeeringPort);
        await socket.SendAsync(RawWire.HelloFrame(["stalled/"]));
        await AdversarialCluster.EventuallyAsync(() => Task.FromResult(cluster.Manager.Endpoint.Peers.Count == 2),
            () => Task.FromResult($"the manager has {cluster.Manager.Endpoint.Peers.Count} peers, expected the worker and the raw peer"));
        await socket.SendAsync((byte[])[.. RawWire.Header(100_000, 3), .. new byte[10_000]]); // a tenth of a data frame, then nothing

        Assert.True(await RawWire.ClosedByNodeAsync(socket), "the node kept a peering whose frame stalled half-way");
        await AdversarialCluster.EventuallyAsync(async () => await cluster.RefusedAsync("frame_timeout") == 1,
            async () => $"frame_timeout refusals: {await cluster.RefusedAsync("frame_timeout")}");
        Assert.Single(cluster.Manager.Endpoint.Peers);
        await cluster.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_stalled_WebSocket_client_fed_large_messages_is_bounded_by_the_byte_budget()
    {
        const long bound = 1024 * 1024;
        const int size = 100_000;
        await using var cluster = new AdversarialCluster(LimitSettings.Default,
            BufferSettings.Default with { WebSocketBufferBytes = bound, WebSocketOverflowPolicy = Engine.Buffers.OverflowPolicy.DropOldest });
        await cluster.StartAsync();

        using var client = new ClientWebSocket();
        await client.ConnectAsync(cluster.WebSocketUri, CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes("[\"big/\"]"), WebSocketMessageType.Text, true, CancellationToken.None);
        await client.ReceiveAsync(new byte[4096], CancellationToken.None); // the ack; then never read again
        var manager = cluster.Manager.Endpoint;
        await AdversarialCluster.EventuallyAsync(() => Task.FromResult(manager.GetPeeringStats().Rows.Any(r => r.Kind == SubscriberKind.Client)),
            () => Task.FromResult("the client never attached"));

        var payload = Value.Of(new string('m', size));
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(1, manager.Publish("big/x", payload));
            var row = manager.GetPeeringStats().Rows.Single(r => r.Kind == SubscriberKind.Client);
            Assert.True(row.QueuedBytes <= bound, $"client buffer holds {row.QueuedBytes} bytes, over its bound of {bound}");
        }

        var client1 = manager.GetPeeringStats().Rows.Single(r => r.Kind == SubscriberKind.Client);
        Assert.Equal(300, client1.Offered);
        Assert.True(client1.Queued <= bound / size, $"{client1.Queued} messages of {size} bytes queued against a {bound}-byte bound");
        // 30 MB cannot all fit in the buffer, the drain's 1 MiB batch and the socket buffers: the rest overflowed.
        Assert.True(client1.Overflows > 0, "a client that never reads 30 MB should overflow its 1 MiB budget");
        var scraped = await cluster.ScrapeAsync();
        Assert.True(scraped.Value(MetricNames.WebSocketClientBufferOverflowsTotal, ("node", "manager"), ("app", "unknown")) >= client1.Overflows,
            $"{client1.Overflows} overflows in the stats table, scraped: {string.Join("; ", scraped.Keys("spillway_websocket_"))}");
        await cluster.AssertStillServingAsync();
    }

    [Fact]
    public async Task Too_many_subscriptions_are_refused_from_a_hello_an_update_and_a_WebSocket_client()
    {
        await using var cluster = new AdversarialCluster(LimitSettings.Default with { MaxSubscriptions = 50 });
        await cluster.StartAsync();
        var tooMany = Enumerable.Range(0, 51).Select(i => $"t{i}/").ToArray();

        using (var helloPeer = await RawWire.ConnectAsync(cluster.PeeringPort))
        {
            await helloPeer.SendAsync(RawWire.HelloFrame(tooMany));
            Assert.True(await RawWire.ClosedByNodeAsync(helloPeer), "a hello with 51 prefixes was accepted");
        }

        using (var updatePeer = await RawWire.ConnectAsync(cluster.PeeringPort))
        {
            await updatePeer.SendAsync(RawWire.HelloFrame(tooMany[..50]));
            await AdversarialCluster.EventuallyAsync(() => Task.FromResult(cluster.Manager.Endpoint.Peers.Count == 2),
                () => Task.FromResult("a hello with exactly 50 prefixes was not accepted"));
            await updatePeer.SendAsync(RawWire.SubscriptionsFrame(tooMany));
            Assert.True(await RawWire.ClosedByNodeAsync(updatePeer), "an update to 51 prefixes was accepted");
        }

        using (var client = new ClientWebSocket())
        {
            await client.ConnectAsync(cluster.WebSocketUri, CancellationToken.None);
            var list = "[" + string.Join(",", tooMany.Select(t => $"\"{t}\"")) + "]";
            await client.SendAsync(Encoding.UTF8.GetBytes(list), WebSocketMessageType.Text, true, CancellationToken.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = await client.ReceiveAsync(new byte[4096], timeout.Token);
            Assert.Equal(WebSocketMessageType.Close, result.MessageType);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
            Assert.Contains("51 topic prefixes", client.CloseStatusDescription);
        }

        await AdversarialCluster.EventuallyAsync(async () => await cluster.RefusedAsync("subscriptions") == 3,
            async () => $"subscriptions refusals: {await cluster.RefusedAsync("subscriptions")}");
        Assert.Single(cluster.Manager.Endpoint.Peers);
        await cluster.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_connection_flood_is_refused_at_accept_with_a_counted_reason()
    {
        await using var cluster = new AdversarialCluster(LimitSettings.Default with { MaxConnectionsPerAddress = 20 });
        await cluster.StartAsync();
        Assert.Equal(1, cluster.Manager.Endpoint.InboundConnections); // the worker's peering

        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < 100; i++) sockets.Add(await RawWire.ConnectAsync(cluster.PeeringPort));
            // 19 more fit beside the worker; the other 81 are closed at accept. The held ones say nothing, so the
            // handshake timeout (10 s) frees them only after the count settles.
            await AdversarialCluster.EventuallyAsync(async () => await cluster.RefusedAsync("address_connections") == 81,
                async () => $"address_connections refusals: {await cluster.RefusedAsync("address_connections")}, " +
                    $"held: {cluster.Manager.Endpoint.InboundConnections}");
            Assert.Equal(20, cluster.Manager.Endpoint.InboundConnections);
            Assert.Equal(0, await cluster.RefusedAsync("node_connections"));
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }

        await AdversarialCluster.EventuallyAsync(() => Task.FromResult(cluster.Manager.Endpoint.InboundConnections == 1),
            () => Task.FromResult($"{cluster.Manager.Endpoint.InboundConnections} inbound connections still held"));
        await cluster.AssertStillServingAsync();
    }

    [Fact]
    public async Task Many_WebSocket_connections_from_one_address_are_refused_beyond_the_budget()
    {
        await using var cluster = new AdversarialCluster(LimitSettings.Default with { WebSocketMaxConnectionsPerAddress = 20 });
        await cluster.StartAsync();

        var admitted = new List<ClientWebSocket>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var client = new ClientWebSocket();
                admitted.Add(client);
                await client.ConnectAsync(cluster.WebSocketUri, CancellationToken.None);
            }
            var attempts = Enumerable.Range(0, 60).Select(async _ =>
            {
                using var client = new ClientWebSocket();
                client.Options.CollectHttpResponseDetails = true;
                await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(cluster.WebSocketUri, CancellationToken.None));
                return client.HttpStatusCode;
            }).ToArray();
            Assert.All(await Task.WhenAll(attempts), status => Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, status));

            Assert.Equal(60, await cluster.RefusedAsync("address_connections"));
            Assert.Equal(0, await cluster.RefusedAsync("node_connections"));
            Assert.Equal(20, cluster.Manager.Endpoint.WebSocketConnections);
            Assert.Equal(1, cluster.Manager.Endpoint.InboundConnections); // the peering budget is untouched
            await cluster.AssertStillServingAsync();
        }
        finally
        {
            foreach (var client in admitted) client.Dispose();
        }
        await AdversarialCluster.EventuallyAsync(() => Task.FromResult(cluster.Manager.Endpoint.WebSocketConnections == 0),
            () => Task.FromResult($"{cluster.Manager.Endpoint.WebSocketConnections} WebSocket slots still held"));
        await cluster.AssertStillServingAsync();
    }

    [Fact]
    public async Task WebSocket_clients_cannot_push_the_announced_prefixes_past_the_node_cap()
    {
        await using var cluster = new AdversarialCluster(LimitSettings.Default with { MaxLocalSubscriptions = 200 });
        await cluster.StartAsync();
        var ownPrefixes = cluster.Manager.Endpoint.AnnouncedSubscriptions.Count;
        Assert.InRange(ownPrefixes, 1, 49);

        using var accepted = new ClientWebSocket();
        await accepted.ConnectAsync(cluster.WebSocketUri, CancellationToken.None);
        await SendTextAsync(accepted, SubscriptionList(Enumerable.Range(0, 150).Select(i => $"c1-{i}/")));
        Assert.Equal("ack", (await ReceiveJsonAsync(accepted)).GetProperty("type").GetString());

        using (var refused = new ClientWebSocket())
        {
            await refused.ConnectAsync(cluster.WebSocketUri, CancellationToken.None);
            await SendTextAsync(refused, SubscriptionList(Enumerable.Range(0, 150).Select(i => $"c2-{i}/")));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = await refused.ReceiveAsync(new byte[4096], timeout.Token);
            Assert.Equal(WebSocketMessageType.Close, result.MessageType);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, refused.CloseStatus);
            Assert.Equal($"with its 150 topic prefixes the node would announce {ownPrefixes + 300}, over its maximum of 200", refused.CloseStatusDescription);
        }

        Assert.Equal(1, await cluster.RefusedAsync("subscriptions"));
        Assert.Equal(ownPrefixes + 150, cluster.Manager.Endpoint.AnnouncedSubscriptions.Count);
        // The accepted client's prefixes reached the real peer, and its traffic reaches the client.
        await AdversarialCluster.EventuallyAsync(() => Task.FromResult(cluster.Worker.Endpoint.Publish("c1-149/x", Value.Of(7L)) == 1),
            () => Task.FromResult("the worker never learned the accepted client's prefixes"));
        Assert.Equal("c1-149/x", (await ReceiveJsonAsync(accepted)).GetProperty("topic").GetString());
        await cluster.AssertStillServingAsync();
    }

    private static string SubscriptionList(IEnumerable<string> prefixes) => "[" + string.Join(",", prefixes.Select(p => $"\"{p}\"")) + "]";

    private static Task SendTextAsync(ClientWebSocket client, string text) =>
        client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<System.Text.Json.JsonElement> ReceiveJsonAsync(ClientWebSocket client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var message = new MemoryStream();
        var buffer = new byte[8192];
        WebSocketReceiveResult result;
        do
        {
            result = await client.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        return System.Text.Json.JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }
}
