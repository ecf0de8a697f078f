using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Spillway.Engine.Data;

namespace Spillway.WebSockets.Tests;

public class MalformedInputTests
{
    private static string Data(string dataType, string dataJson) => TestClient.DataMessage("/in/bad", dataType, dataJson);

    public static TheoryData<string, string> MalformedDataMessages => new()
    {
        { "this is not json", "malformed JSON" },
        { "{\"type\":\"data-message\",", "malformed JSON" },
        { "[1,2,3]", "message must be a JSON object, got an array" },
        { "{\"type\":\"ack\",\"topic\":\"/in/x\",\"@data-type\":\"count\",\"data\":1}", "unexpected message type 'ack'" },
        { "{\"type\":\"data-message\",\"@data-type\":\"count\",\"data\":1}", "data message lacks \"topic\"" },
        { Data("blob", "1"), "unknown @data-type 'blob'" },
        { Data("count", "1.5"), "count value must be an unsigned integer without a decimal point: 1.5" },
        { Data("count", "1.0"), "count value must be an unsigned integer without a decimal point: 1.0" },
        { Data("count", "-1"), "count value must not be negative" },
        { Data("integer", "2.0"), "integer value must be an integer without a decimal point: 2.0" },
        { Data("address", "\"1.2.3\""), "malformed address '1.2.3'" },
        { Data("address", "\"256.1.1.1\""), "malformed address '256.1.1.1'" },
        { Data("address", "\"example.com\""), "malformed address 'example.com'" },
        { Data("port", "\"80/sctp\""), "malformed port '80/sctp'" },
        { Data("port", "\"70000/tcp\""), "malformed port '70000/tcp'" },
        { Data("port", "\"80\""), "malformed port '80'" },
        { Data("subnet", "\"10.0.0.0/33\""), "malformed subnet '10.0.0.0/33'" },
        { Data("subnet", "\"10.0.0.0\""), "malformed subnet '10.0.0.0'" },
        { Data("subnet", "\"10.0.0/8\""), "malformed subnet '10.0.0/8'" },
        { Data("timespan", "\"10 parsecs\""), "malformed timespan '10 parsecs'" },
        { Data("timespan", "\"1.5s\""), "malformed timespan '1.5s'" },
        { Data("timestamp", "\"2024-13-01T00:00:00\""), "malformed timestamp '2024-13-01T00:00:00'" },
        { Data("timestamp", "\"yesterday\""), "malformed timestamp 'yesterday'" },
        { Data("boolean", "\"true\""), "boolean value must be true or false" },
        { Data("vector", "[1]"), "value must be a JSON object with \"@data-type\" and \"data\", got a number" },
        { Data("set", "[{\"@data-type\":\"count\",\"data\":1},{\"@data-type\":\"count\",\"data\":1}]"), "set holds a duplicate element" },
    };

    [Theory]
    [MemberData(nameof(MalformedDataMessages))]
    public async Task A_malformed_data_message_gets_an_error_naming_the_problem_and_the_connection_stays_usable(string message, string expectedContext)
    {
        await using var cluster = await TestCluster.StartAsync();
        var atPeer = new ConcurrentQueue<(string, Value)>();
        using var subscription = cluster.Peer.Subscribe("/in/", (t, v) => atPeer.Enqueue((t, v)));
        var client = await cluster.ConnectAsync();
        await client.SubscribeAsync("/out/");
        await cluster.NodeKnowsPeerSubscriptionsAsync();
        await cluster.PeerKnowsNodeSubscriptionsAsync();

        await client.SendTextAsync(message);

        var context = await client.ReceiveErrorContextAsync();
        Assert.Contains(expectedContext, context);
        await AssertStillUsableAsync(cluster, client, atPeer);
    }

    public static TheoryData<string, string> BadSubscriptionLists => new()
    {
        { "not json at all", "first message must be a JSON array of topic strings; malformed JSON" },
        { "{\"topics\":[\"/a\"]}", "first message must be a JSON array of topic strings, got an object" },
        { "\"/a\"", "first message must be a JSON array of topic strings, got a string" },
        { "[\"/a\",1]", "first message must be a JSON array of topic strings; element 1 is a number" },
        { TestClient.DataMessage("/in/x", "count", "1"), "first message must be a JSON array of topic strings, got an object" },
    };

    [Theory]
    [MemberData(nameof(BadSubscriptionLists))]
    public async Task A_bad_first_message_gets_an_error_and_the_server_waits_for_a_valid_subscription_list(string message, string expectedContext)
    {
        await using var cluster = await TestCluster.StartAsync();
        var atPeer = new ConcurrentQueue<(string, Value)>();
        using var subscription = cluster.Peer.Subscribe("/in/", (t, v) => atPeer.Enqueue((t, v)));
        var client = await cluster.ConnectAsync();

        await client.SendTextAsync(message);
        Assert.Equal(expectedContext, (await client.ReceiveErrorContextAsync())[..expectedContext.Length]);
        Assert.Empty(cluster.ClientRows()); // not attached yet
        Assert.Empty(atPeer);

        var ack = await client.SubscribeAsync("/out/");
        Assert.Equal(cluster.Node.Id.ToString(), ack.GetProperty("endpoint").GetString());
        await cluster.NodeKnowsPeerSubscriptionsAsync();
        await cluster.PeerKnowsNodeSubscriptionsAsync();
        await AssertStillUsableAsync(cluster, client, atPeer);
    }

    [Fact]
    public async Task A_binary_frame_gets_an_error_before_and_after_subscribing_and_the_connection_stays_usable()
    {
        await using var cluster = await TestCluster.StartAsync();
        var atPeer = new ConcurrentQueue<(string, Value)>();
        using var subscription = cluster.Peer.Subscribe("/in/", (t, v) => atPeer.Enqueue((t, v)));
        var client = await cluster.ConnectAsync();

        await client.SendAsync(Encoding.UTF8.GetBytes("[\"/out/\"]"), WebSocketMessageType.Binary);
        Assert.Equal("binary frames are not supported; send text", await client.ReceiveErrorContextAsync());
        await client.SubscribeAsync("/out/");

        await client.SendAsync(Encoding.UTF8.GetBytes(TestClient.DataMessage("/in/x", "count", "1")), WebSocketMessageType.Binary);
        Assert.Equal("binary frames are not supported; send text", await client.ReceiveErrorContextAsync());

        await cluster.NodeKnowsPeerSubscriptionsAsync();
        await cluster.PeerKnowsNodeSubscriptionsAsync();
        await AssertStillUsableAsync(cluster, client, atPeer);
    }

    [Fact]
    public async Task Many_errors_in_a_row_leave_the_connection_usable()
    {
        await using var cluster = await TestCluster.StartAsync();
        var atPeer = new ConcurrentQueue<(string, Value)>();
        using var subscription = cluster.Peer.Subscribe("/in/", (t, v) => atPeer.Enqueue((t, v)));
        var client = await cluster.ConnectAsync();
        await client.SubscribeAsync("/out/");
        await cluster.NodeKnowsPeerSubscriptionsAsync();
        await cluster.PeerKnowsNodeSubscriptionsAsync();

        foreach (var (message, _) in MalformedDataMessages.Select(row => ((string)row[0], (string)row[1])))
            await client.SendTextAsync(message);
        foreach (var row in MalformedDataMessages)
            Assert.Contains((string)row[1], await client.ReceiveErrorContextAsync());

        await AssertStillUsableAsync(cluster, client, atPeer);
    }

    /// <summary>A good message from the client reaches the peer, and the peer's publish reaches the client.</summary>
    private static async Task AssertStillUsableAsync(TestCluster cluster, TestClient client, ConcurrentQueue<(string, Value)> atPeer)
    {
        await client.SendTextAsync(TestClient.DataMessage("/in/good", "count", "5"));
        await Eventually.HoldsAsync(() => atPeer.Count == 1, () => $"{atPeer.Count} messages at the peer");
        Assert.Equal(("/in/good", (Value)new CountValue(5)), atPeer.Single());

        cluster.Peer.Publish("/out/reply", new StringValue("ok"));
        Assert.Equal(TestClient.DataMessage("/out/reply", "string", "\"ok\""), await client.ReceiveTextAsync());
    }
}
