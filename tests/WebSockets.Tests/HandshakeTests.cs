using System.Collections.Concurrent;
using System.Net;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;

namespace Spillway.WebSockets.Tests;

public class HandshakeTests
{
    [Fact]
    public async Task Ack_carries_the_node_id_and_the_configured_version()
    {
        await using var cluster = await TestCluster.StartAsync(gatewayOptions: new WebSocketGatewayOptions { Version = "9.8.7-test" });
        var client = await cluster.ConnectAsync();

        var ack = await client.SubscribeAsync("/topic/");

        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.Equal(cluster.Node.Id.ToString(), ack.GetProperty("endpoint").GetString());
        Assert.Equal("9.8.7-test", ack.GetProperty("version").GetString());
        Assert.Equal(3, ack.EnumerateObject().Count());
    }

    [Fact]
    public async Task Ack_version_defaults_to_the_assembly_informational_version()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = await cluster.ConnectAsync();

        var ack = await client.SubscribeAsync();

        Assert.False(string.IsNullOrWhiteSpace(WebSocketGatewayOptions.DefaultVersion));
        Assert.Equal(WebSocketGatewayOptions.DefaultVersion, ack.GetProperty("version").GetString());
    }

    [Fact]
    public async Task A_peers_publish_reaches_the_client_as_the_exact_json()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = await cluster.ConnectSubscribedAsync("/topic/");

        Assert.Equal(1, cluster.Peer.Publish("/topic/a", new CountValue(42)));
        cluster.Peer.Publish("/other/b", new CountValue(1)); // not subscribed: never arrives
        cluster.Peer.Publish("/topic/c", new StringValue("x"));

        Assert.Equal("""{"type":"data-message","topic":"/topic/a","@data-type":"count","data":42}""", await client.ReceiveTextAsync());
        Assert.Equal("""{"type":"data-message","topic":"/topic/c","@data-type":"string","data":"x"}""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task The_clients_publish_reaches_a_subscriber_on_the_peer()
    {
        await using var cluster = await TestCluster.StartAsync();
        var received = new ConcurrentQueue<(string Topic, Value Value)>();
        using var subscription = cluster.Peer.Subscribe("/to-peer/", (topic, value) => received.Enqueue((topic, value)));
        var client = await cluster.ConnectAsync();
        await client.SubscribeAsync();
        await cluster.NodeKnowsPeerSubscriptionsAsync();

        await client.SendTextAsync(TestClient.DataMessage("/to-peer/x", "integer", "-7"));

        await Eventually.HoldsAsync(() => received.Count == 1, () => $"{received.Count} messages at the peer");
        Assert.Equal(("/to-peer/x", (Value)new IntegerValue(-7)), received.Single());
    }

    [Fact]
    public async Task Two_clients_on_one_node_each_get_their_own_topics_and_not_their_own_publishes()
    {
        await using var cluster = await TestCluster.StartAsync();
        var a = await cluster.ConnectAsync();
        var b = await cluster.ConnectAsync();
        await a.SubscribeAsync("/a/", "/shared/");
        await b.SubscribeAsync("/b/", "/shared/");

        await a.SendTextAsync(TestClient.DataMessage("/shared/from-a", "count", "1"));
        await b.SendTextAsync(TestClient.DataMessage("/a/from-b", "count", "2"));

        // b gets a's shared message; a gets b's /a/ message; neither gets its own.
        Assert.Equal(TestClient.DataMessage("/shared/from-a", "count", "1"), await b.ReceiveTextAsync());
        Assert.Equal(TestClient.DataMessage("/a/from-b", "count", "2"), await a.ReceiveTextAsync());
        await cluster.PeerKnowsNodeSubscriptionsAsync();
        cluster.Peer.Publish("/b/end", Value.None);
        Assert.Equal(TestClient.DataMessage("/b/end", "none", "{}"), await b.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_request_without_websocket_upgrade_gets_400()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(cluster.HttpBase, WebSocketGatewayOptions.DefaultPath));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_client_that_closes_is_logged_and_its_session_is_removed()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = await cluster.ConnectAsync();
        await client.SubscribeAsync("/x/", "/y/");
        var id = Assert.Single(cluster.ClientRows()).EndpointId;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await client.Socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);

        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, client.Socket.CloseStatus);
        await Eventually.HoldsAsync(() => cluster.ClientRows().Length == 0, () => "client row still present");
        await Eventually.HoldsAsync(
            () => cluster.Logs.Lines.Any(l => l.Contains($"WebSocket client {id}") && l.Contains("left: client closed the connection (1000 NormalClosure: bye)")),
            () => string.Join("\n", cluster.Logs.Lines));
        Assert.Contains(cluster.Logs.Lines, l => l.Contains($"WebSocket client {id} (unknown) connected from 127.0.0.1:") && l.Contains("subscribed to [/x/, /y/]"));
        Assert.DoesNotContain("/x/", cluster.Node.AnnouncedSubscriptions);
    }

    [Fact]
    public async Task Endpoint_shutdown_closes_the_client_with_a_reason()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = await cluster.ConnectAsync();
        await client.SubscribeAsync("/x/");

        await cluster.Node.DisposeAsync();

        var received = await client.ReceiveAsync();
        Assert.Equal(System.Net.WebSockets.WebSocketMessageType.Close, received.Type);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, received.CloseStatus);
        Assert.Equal("endpoint shutting down", received.CloseDescription);
    }
}
