using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Spillway.Engine.Data;

namespace Spillway.WebSockets.Tests;

public class OversizeTests
{
    private const int Limit = 1024;

    /// <param name="closeTimeout">
    /// How long the gateway waits for a client to answer its close. Generous where the test's client does answer (a
    /// busy machine must not turn the answer into an abort); short only where the expiry is what is tested.
    /// </param>
    private static Task<TestCluster> StartAsync(TimeSpan? closeTimeout = null) => TestCluster.StartAsync(
        gatewayOptions: new WebSocketGatewayOptions { MaxMessageSize = Limit, CloseTimeout = closeTimeout ?? TimeSpan.FromSeconds(30) });

    /// <summary>A data message for /in/ padded with whitespace to exactly <paramref name="size"/> bytes.</summary>
    private static byte[] PaddedMessage(int size)
    {
        var message = TestClient.DataMessage("/in/padded", "count", "3");
        return Encoding.UTF8.GetBytes(message[..^1] + new string(' ', size - message.Length) + "}");
    }

    [Fact]
    public async Task An_oversized_message_closes_only_that_client_with_MessageTooBig()
    {
        await using var cluster = await StartAsync();
        var atPeer = new ConcurrentQueue<(string, Value)>();
        using var subscription = cluster.Peer.Subscribe("/in/", (t, v) => atPeer.Enqueue((t, v)));
        var fragmented = await cluster.ConnectAsync();
        var single = await cluster.ConnectAsync();
        var bystander = await cluster.ConnectAsync();
        await fragmented.SubscribeAsync("/out/");
        await single.SubscribeAsync("/out/");
        await bystander.SubscribeAsync("/out/");
        Assert.Equal(3, cluster.ClientRows().Length);

        // 3 x 600 bytes in fragments: the limit is passed in the second fragment.
        var chunk = Encoding.UTF8.GetBytes(new string(' ', 600));
        await fragmented.SendAsync(chunk, WebSocketMessageType.Text, endOfMessage: false);
        await fragmented.SendAsync(chunk, WebSocketMessageType.Text, endOfMessage: false);
        await fragmented.SendAsync(chunk, WebSocketMessageType.Text, endOfMessage: true);
        // One frame of 100 KB.
        await single.SendAsync(Encoding.UTF8.GetBytes("[" + new string(' ', 100_000) + "]"), WebSocketMessageType.Text);

        foreach (var client in new[] { fragmented, single })
        {
            var received = await client.ReceiveAsync();
            Assert.Equal(WebSocketMessageType.Close, received.Type);
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, received.CloseStatus);
            Assert.Equal($"message exceeds the maximum size of {Limit} bytes", received.CloseDescription);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await client.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
        }
        await Eventually.HoldsAsync(() => cluster.ClientRows().Length == 1, () => $"{cluster.ClientRows().Length} client rows");
        Assert.Contains(cluster.Logs.Lines, l => l.StartsWith("Warning") && l.Contains($"sent a message over {Limit} bytes"));

        // The bystander is unaffected in both directions, and a message of exactly the limit is accepted.
        await cluster.NodeKnowsPeerSubscriptionsAsync();
        await cluster.PeerKnowsNodeSubscriptionsAsync();
        await bystander.SendAsync(PaddedMessage(Limit), WebSocketMessageType.Text);
        await Eventually.HoldsAsync(() => atPeer.Count == 1, () => $"{atPeer.Count} messages at the peer");
        Assert.Equal(("/in/padded", (Value)new CountValue(3)), atPeer.Single());
        cluster.Peer.Publish("/out/x", new CountValue(9));
        Assert.Equal(TestClient.DataMessage("/out/x", "count", "9"), await bystander.ReceiveTextAsync());
        Assert.Equal(WebSocketState.Open, bystander.Socket.State);
    }

    [Fact]
    public async Task An_oversized_first_message_closes_the_connection_before_any_session_exists()
    {
        await using var cluster = await StartAsync();
        var client = await cluster.ConnectAsync();

        await client.SendAsync(PaddedMessage(Limit + 1), WebSocketMessageType.Text);

        var received = await client.ReceiveAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, received.CloseStatus);
        Assert.Empty(cluster.ClientRows());
    }

    [Fact]
    public async Task A_client_that_does_not_answer_our_close_is_aborted_after_the_close_timeout()
    {
        await using var cluster = await StartAsync(closeTimeout: TimeSpan.FromSeconds(2));
        var client = await cluster.ConnectAsync();
        await client.SubscribeAsync("/out/");

        await client.SendAsync(PaddedMessage(Limit + 1), WebSocketMessageType.Text);

        // The client never answers the close; the server drops the connection on its own.
        await Eventually.HoldsAsync(() => cluster.ClientRows().Length == 0, () => "client row still present");
        var received = await client.ReceiveAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, received.CloseStatus);
        await Eventually.HoldsAsync(
            () => cluster.Logs.Lines.Any(l => l.Contains("left: message exceeds the maximum size")),
            () => string.Join("\n", cluster.Logs.Lines));
    }
}
