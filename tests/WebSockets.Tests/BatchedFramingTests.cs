using System.Net.WebSockets;
using System.Text;
using Spillway.Engine.Data;

namespace Spillway.WebSockets.Tests;

/// <summary>
/// The send loop frames its data messages itself and writes a batch of them as one write
/// (<see cref="BatchedWriteStream"/>); a real client must see exactly what the WebSocket would have sent.
/// </summary>
public class BatchedFramingTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x81, 0 })]
    [InlineData(125, new byte[] { 0x81, 125 })]
    [InlineData(126, new byte[] { 0x81, 126, 0, 126 })]
    [InlineData(65535, new byte[] { 0x81, 126, 0xFF, 0xFF })]
    [InlineData(65536, new byte[] { 0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0 })]
    [InlineData(200_000, new byte[] { 0x81, 127, 0, 0, 0, 0, 0, 0x03, 0x0D, 0x40 })]
    public void A_text_frame_header_takes_the_shortest_length_form(int length, byte[] expected)
    {
        var header = new byte[10];
        var size = BatchedWriteStream.WriteHeader(header, length);
        Assert.Equal(expected, header[..size]);
    }

    [Fact]
    public async Task Messages_of_every_frame_length_form_arrive_whole_and_in_order_within_one_burst()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = await cluster.ConnectSubscribedAsync("/b/");

        // JSON texts of exactly these lengths (the 7-bit, 16-bit and 64-bit length forms and their edges, one over
        // the batch buffer), between runs of small ones that fill batches past the buffer many times over.
        var overhead = Json("/b/x", "").Length;
        int[] exactLengths = [1 + overhead, 125, 126, 65535, 65536, BatchedWriteStream.BatchBytes + 1, 200_000];
        var expected = new List<string>();
        var n = 0;
        foreach (var length in exactLengths)
        {
            for (var i = 0; i < 500; i++) expected.Add(Json($"/b/{n++ % 10}", new string((char)('a' + i % 26), 100)));
            expected.Add(Json("/b/x", new string('L', length - overhead)));
            Assert.Equal(length, Encoding.UTF8.GetByteCount(expected[^1]));
        }

        foreach (var json in expected)
        {
            var (topic, data) = Parse(json);
            Assert.Equal(1, cluster.Peer.Publish(topic, new StringValue(data)));
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var text = await client.ReceiveTextAsync();
            Assert.True(expected[i] == text, $"message {i} of {expected.Count}: expected {Describe(expected[i])}, got {Describe(text)}");
        }
        Assert.Equal(0, cluster.ClientRows().Single().Overflows);
    }

    [Fact]
    public async Task The_clients_keep_alive_pings_are_answered_while_batches_flow()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var socket = new ClientWebSocket();
        // The client pings every 20 ms and aborts the connection when a pong takes over 2 s: pongs written by the
        // server's WebSocket must get past the send loop's batches, never stuck behind or inside one.
        socket.Options.KeepAliveInterval = TimeSpan.FromMilliseconds(20);
        socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(2);
        await socket.ConnectAsync(cluster.WebSocketUri, CancellationToken.None);
        await SubscribeAsync(cluster, socket, "/k/", CancellationToken.None);
        var buffer = new byte[4096];

        // Each burst (well inside the 8,192-message buffers) is read before the next goes out, so nothing overflows
        // however slow the machine: every message must arrive, in order.
        const int Bursts = 40, PerBurst = 2000;
        var received = 0;
        var reading = Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            while (Volatile.Read(ref received) < Bursts * PerBurst)
            {
                var r = await socket.ReceiveAsync(buffer, timeout.Token);
                Assert.Equal(WebSocketMessageType.Text, r.MessageType);
                Assert.True(r.EndOfMessage, "a small message arrived in pieces");
                var expected = Json("/k/n", received.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(expected, Encoding.UTF8.GetString(buffer, 0, r.Count));
                Interlocked.Increment(ref received);
            }
        });
        for (var burst = 0; burst < Bursts; burst++)
        {
            for (var i = 0; i < PerBurst; i++)
                cluster.Peer.Publish("/k/n", new StringValue((burst * PerBurst + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var through = (burst + 1) * PerBurst;
            await Eventually.HoldsAsync(() => Volatile.Read(ref received) >= through || reading.IsCompleted,
                () => $"{Volatile.Read(ref received)} of {through} received");
            if (reading.IsCompleted) break; // failed: awaited below for its message
            await Task.Delay(25); // pings fall between and inside the bursts
        }
        await reading;
        Assert.Equal(Bursts * PerBurst, received);
        Assert.Equal(0, cluster.ClientRows().Single().Overflows);
        Assert.Equal(WebSocketState.Open, socket.State);
        await Task.Delay(300); // a few more ping rounds on an idle connection
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task A_client_over_http2_gets_the_same_messages_sent_one_by_one()
    {
        // WebSockets over HTTP/2 (RFC 8441 extended CONNECT) have no upgraded stream to batch on: the gateway takes the
        // framework's accept and sends message by message. Same messages, same order.
        await using var cluster = await TestCluster.StartAsync(http2Only: true);
        using var socket = new ClientWebSocket();
        socket.Options.HttpVersion = System.Net.HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = System.Net.Http.HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;
        using var invoker = new System.Net.Http.HttpMessageInvoker(new System.Net.Http.SocketsHttpHandler());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(cluster.WebSocketUri, invoker, timeout.Token);
        Assert.Equal(System.Net.HttpStatusCode.OK, socket.HttpStatusCode); // extended CONNECT answers 200; an HTTP/1.1 upgrade 101
        await SubscribeAsync(cluster, socket, "/h2/", timeout.Token);
        var buffer = new byte[300_000];

        var expected = new List<string>();
        for (var i = 0; i < 300; i++) expected.Add(Json("/h2/s", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        expected.Add(Json("/h2/large", new string('L', 100_000)));
        foreach (var json in expected)
        {
            var (topic, data) = Parse(json);
            Assert.Equal(1, cluster.Peer.Publish(topic, new StringValue(data)));
        }

        foreach (var json in expected)
        {
            var count = 0;
            ValueWebSocketReceiveResult r;
            do
            {
                r = await socket.ReceiveAsync(buffer.AsMemory(count), timeout.Token);
                count += r.Count;
            } while (!r.EndOfMessage);
            Assert.Equal(WebSocketMessageType.Text, r.MessageType);
            Assert.Equal(json, Encoding.UTF8.GetString(buffer, 0, count));
        }
    }

    /// <summary>For a client set up by hand: sends its subscription list, reads the ack, waits until the peer routes the topic to the node.</summary>
    private static async Task SubscribeAsync(TestCluster cluster, ClientWebSocket socket, string topic, CancellationToken token)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes($"[\"{topic}\"]"), WebSocketMessageType.Text, true, token);
        var buffer = new byte[4096];
        var ack = await socket.ReceiveAsync(buffer, token);
        Assert.Contains("\"ack\"", Encoding.UTF8.GetString(buffer, 0, ack.Count));
        await cluster.PeerKnowsNodeSubscriptionsAsync();
    }

    private static string Json(string topic, string data) => TestClient.DataMessage(topic, "string", $"\"{data}\"");

    private static (string Topic, string Data) Parse(string json)
    {
        var message = System.Text.Json.JsonDocument.Parse(json).RootElement;
        return (message.GetProperty("topic").GetString()!, message.GetProperty("data").GetString()!);
    }

    private static string Describe(string text) => text.Length <= 80 ? text : $"{text.Length} chars starting {text[..80]}";
}
