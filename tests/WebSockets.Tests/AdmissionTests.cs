using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Spillway.Engine.Peering;

namespace Spillway.WebSockets.Tests;

/// <summary>
/// The WebSocket connection budget (<c>websocket_max_connections</c>, <c>websocket_max_connections_per_address</c>):
/// upgrades beyond it get an HTTP refusal before the upgrade, counted under the fixed refusal reasons; a slot comes back
/// when its client leaves; the peering budget is a separate one.
/// </summary>
public class AdmissionTests
{
    [Fact]
    public async Task Upgrades_beyond_the_per_address_budget_get_429_with_the_reason_and_are_counted()
    {
        await using var cluster = await TestCluster.StartAsync(new EndpointOptions { WebSocketMaxConnectionsPerAddress = 3, MaxConnectionsPerAddress = 1 });
        var clients = new List<TestClient>();
        for (var i = 0; i < 3; i++)
        {
            var client = await cluster.ConnectAsync();
            await client.SubscribeAsync($"/admitted/{i}");
            clients.Add(client);
        }

        var (status, body) = await RawUpgradeAsync(cluster.HttpBase);
        Assert.Equal("HTTP/1.1 429 Too Many Requests", status);
        Assert.Equal("WebSocket connection refused (address_connections): the address holds its maximum of 3 WebSocket connections\n", body);
        using (var refused = new ClientWebSocket())
        {
            refused.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(cluster.WebSocketUri, CancellationToken.None));
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.HttpStatusCode);
        }
        Assert.Equal(2, cluster.Node.Refusals[RefusalReason.AddressConnections]);
        Assert.Equal(0, cluster.Node.Refusals[RefusalReason.NodeConnections]);
        Assert.Contains(cluster.Logs.Lines, l => l.Contains("Refused WebSocket client from 127.0.0.1:") && l.Contains("maximum of 3 WebSocket connections"));
        // The peering budget is a separate one: its one slot per address holds the peer, and the clients took none of it.
        Assert.Equal(1, cluster.Node.InboundConnections);

        // A client that leaves gives its slot back.
        clients[0].Dispose();
        await Eventually.HoldsAsync(() => cluster.Node.WebSocketConnections == 2, () => $"{cluster.Node.WebSocketConnections} WebSocket slots held");
        var again = await cluster.ConnectAsync();
        await again.SubscribeAsync("/again");
        Assert.Equal(2, cluster.Node.Refusals[RefusalReason.AddressConnections]);
    }

    [Fact]
    public async Task Upgrades_beyond_the_node_budget_get_503_and_plain_requests_take_no_slot()
    {
        await using var cluster = await TestCluster.StartAsync(new EndpointOptions { WebSocketMaxConnections = 2 });
        using var http = new HttpClient();
        var plain = await http.GetAsync(cluster.WebSocketUri.ToString().Replace("ws://", "http://"));
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);

        var first = await cluster.ConnectAsync();
        var second = await cluster.ConnectAsync();
        await first.SubscribeAsync("/a");
        await second.SubscribeAsync("/b");
        var (status, body) = await RawUpgradeAsync(cluster.HttpBase);
        Assert.Equal("HTTP/1.1 503 Service Unavailable", status);
        Assert.Equal("WebSocket connection refused (node_connections): the node holds its maximum of 2 WebSocket connections\n", body);
        Assert.Equal(1, cluster.Node.Refusals[RefusalReason.NodeConnections]);

        // The admitted clients are unaffected: the peer's traffic still reaches them.
        await cluster.PeerKnowsNodeSubscriptionsAsync();
        Assert.Equal(1, cluster.Peer.Publish("/a/x", Engine.Data.Value.Of(1L)));
        var message = await first.ReceiveJsonAsync();
        Assert.Equal("/a/x", message.GetProperty("topic").GetString());
    }

    [Fact]
    public async Task A_client_that_never_sends_its_subscription_list_is_closed_at_the_handshake_bound_and_its_slot_comes_back()
    {
        // One slot per address: the silent client holds it until the bound closes it, then a real client gets it.
        await using var cluster = await TestCluster.StartAsync(new EndpointOptions
        {
            HandshakeTimeout = TimeSpan.FromSeconds(5), WebSocketMaxConnectionsPerAddress = 1,
        });
        using var silent = new ClientWebSocket();
        await silent.ConnectAsync(cluster.WebSocketUri, CancellationToken.None);
        Assert.Equal(1, cluster.Node.WebSocketConnections);

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var received = await silent.ReceiveAsync(new byte[1024], wait.Token);
        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, silent.CloseStatus);
        Assert.Equal("no subscription list within 5 s", silent.CloseStatusDescription);
        await silent.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", wait.Token);

        await Eventually.HoldsAsync(() => cluster.Node.WebSocketConnections == 0, () => $"{cluster.Node.WebSocketConnections} WebSocket slots held");
        Assert.Contains(cluster.Logs.Lines, l => l.Contains("sent no subscription list within 5 s; closing it"));
        var next = await cluster.ConnectAsync();
        await next.SubscribeAsync("/after");
        await cluster.PeerKnowsNodeSubscriptionsAsync();
        Assert.Equal(1, cluster.Peer.Publish("/after/x", Engine.Data.Value.Of(7L)));
        Assert.Equal("/after/x", (await next.ReceiveJsonAsync()).GetProperty("topic").GetString());
        Assert.Equal(0, cluster.Node.Refusals[RefusalReason.AddressConnections]);
    }

    /// <summary>A WebSocket upgrade request written by hand, so the refusal's status line and body can be read as sent.</summary>
    private static async Task<(string Status, string Body)> RawUpgradeAsync(Uri httpBase)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(IPAddress.Loopback, httpBase.Port, timeout.Token);
        var request = $"GET {WebSocketGatewayOptions.DefaultPath} HTTP/1.1\r\nHost: {httpBase.Authority}\r\nConnection: Upgrade\r\n" +
            "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.UTF8.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var headers = text[..end].Split("\r\n");
                var length = int.Parse(headers.Single(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))["Content-Length:".Length..].Trim());
                if (received.Count >= Encoding.UTF8.GetByteCount(text[..(end + 4)]) + length)
                    return (headers[0], text[(end + 4)..]);
            }
            var n = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.True(n > 0, $"the node closed before the whole refusal arrived: {text}");
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }
}
