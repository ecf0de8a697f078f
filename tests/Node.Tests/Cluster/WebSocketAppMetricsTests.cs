using System.Net.WebSockets;
using System.Text;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Telemetry.Export;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Tests.Cluster;

/// <summary>Issue 12 item 5: the WebSocket aggregates per application (<c>app</c> label), in both exporters and in /peers.</summary>
public class WebSocketAppMetricsTests
{
    private static async Task<ClientWebSocket> ConnectAsync(TestCluster cluster, string? application, string subscription = "nothing/")
    {
        var client = cluster.NewWebSocketClient();
        if (application is not null) client.Options.SetRequestHeader("X-Application-Name", application);
        await client.ConnectAsync(cluster.WebSocketUri("manager"), CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes($"[\"{subscription}\"]"), WebSocketMessageType.Text, true, CancellationToken.None);
        var ack = new byte[4096];
        var result = await client.ReceiveAsync(ack, CancellationToken.None);
        Assert.StartsWith("{\"type\":\"ack\"", Encoding.UTF8.GetString(ack, 0, result.Count));
        return client;
    }

    private static async Task<string[]> WebSocketSeriesAsync(TestCluster cluster) =>
        (await cluster.ScrapeAsync("manager")).Keys("spillway_websocket_").ToArray();

    [Theory]
    [InlineData(MetricsExporterKind.OpenTelemetry)]
    [InlineData(MetricsExporterKind.PrometheusNet)]
    public async Task Named_and_unnamed_clients_are_counted_per_app_and_peers_shows_each_clients_application(MetricsExporterKind exporter)
    {
        await using var cluster = new TestCluster([("manager", NodeRole.Manager, 0, null)], webSocketNode: "manager");
        await cluster.StartAsync("manager", exporter);

        // Before any client: only the unknown series, all zero.
        Assert.Equal(
            [
                """spillway_websocket_client_buffer_overflows_total{app="unknown",node="manager"} 0""",
                """spillway_websocket_client_buffer_recent_max_messages{app="unknown",node="manager"} 0""",
                """spillway_websocket_clients{app="unknown",node="manager"} 0""",
            ],
            await WebSocketSeriesAsync(cluster));

        using var intel1 = await ConnectAsync(cluster, "zeek-intel");
        using var intel2 = await ConnectAsync(cluster, "zeek-intel");
        using var anonymous = await ConnectAsync(cluster, application: null);

        string[] expected =
        [
            """spillway_websocket_client_buffer_overflows_total{app="unknown",node="manager"} 0""",
            """spillway_websocket_client_buffer_overflows_total{app="zeek-intel",node="manager"} 0""",
            """spillway_websocket_client_buffer_recent_max_messages{app="unknown",node="manager"} 0""",
            """spillway_websocket_client_buffer_recent_max_messages{app="zeek-intel",node="manager"} 0""",
            """spillway_websocket_clients{app="unknown",node="manager"} 1""",
            """spillway_websocket_clients{app="zeek-intel",node="manager"} 2""",
        ];
        string[] seen = [];
        await Eventually.HoldsAsync(async () => (seen = await WebSocketSeriesAsync(cluster)).SequenceEqual(expected),
            () => Task.FromResult("the manager exports " + string.Join("; ", seen)));

        var peers = await cluster.PeersAsync("manager");
        Assert.Equal(["unknown", "zeek-intel", "zeek-intel"], peers.Clients.Select(c => c.Application).Order(StringComparer.Ordinal));
        // Endpoint ids stay in /peers, never in labels.
        var text = await cluster.ScrapeTextAsync("manager");
        Assert.All(peers.Clients, c => Assert.DoesNotContain(c.Endpoint, text));
        Assert.Contains("\"application\":\"zeek-intel\"", Encoding.UTF8.GetString(PeersReportJson.Serialize(peers)));
    }

    [Fact]
    public async Task The_33rd_distinct_name_is_other_and_earlier_names_keep_their_labels()
    {
        await using var cluster = new TestCluster([("manager", NodeRole.Manager, 0, null)], webSocketNode: "manager");
        await cluster.StartAsync("manager");
        var clients = new List<ClientWebSocket>();
        try
        {
            for (var i = 1; i <= 32; i++) clients.Add(await ConnectAsync(cluster, $"app-{i:D2}"));
            // Labels are given as scrapes first see the names: let one scrape see all 32 before the 33rd arrives.
            await Eventually.HoldsAsync(async () => (await cluster.ScrapeAsync("manager")).WithPrefix(MetricNames.WebSocketClients)
                    .Count(s => s.Name == MetricNames.WebSocketClients && s.Value == 1) == 32,
                () => Task.FromResult("the manager never showed 32 named apps"));

            clients.Add(await ConnectAsync(cluster, "app-33"));
            clients.Add(await ConnectAsync(cluster, "app-34"));
            clients.Add(await ConnectAsync(cluster, "app-01"));

            var expected = new List<string>();
            expected.Add("""spillway_websocket_clients{app="app-01",node="manager"} 2""");
            for (var i = 2; i <= 32; i++) expected.Add($$"""spillway_websocket_clients{app="app-{{i:D2}}",node="manager"} 1""");
            expected.Add("""spillway_websocket_clients{app="other",node="manager"} 2""");
            expected.Add("""spillway_websocket_clients{app="unknown",node="manager"} 0""");
            string[] seen = [];
            await Eventually.HoldsAsync(async () =>
                    (seen = (await cluster.ScrapeAsync("manager")).WithPrefix(MetricNames.WebSocketClients)
                        .Where(s => s.Name == MetricNames.WebSocketClients).Select(s => s.Key).Order(StringComparer.Ordinal).ToArray()).SequenceEqual(expected),
                () => Task.FromResult("the manager exports " + string.Join("; ", seen)));
            // /peers still says what each client called itself.
            Assert.Contains((await cluster.PeersAsync("manager")).Clients, c => c.Application == "app-34");
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    [Theory]
    [InlineData(MetricsExporterKind.OpenTelemetry)]
    [InlineData(MetricsExporterKind.PrometheusNet)]
    public async Task An_apps_overflow_counter_keeps_its_total_when_its_client_leaves(MetricsExporterKind exporter)
    {
        var clientBuffers = BufferSettings.Default with { WebSocketBufferSize = 32 };
        await using var cluster = new TestCluster([("manager", NodeRole.Manager, 0, clientBuffers)], webSocketNode: "manager");
        await cluster.StartAsync("manager", exporter);
        var manager = cluster["manager"].Endpoint;

        // A real client that subscribes and then never reads again; a second app that reads nothing of the flood.
        var slow = await ConnectAsync(cluster, "slow-app", "flood/");
        using var other = await ConnectAsync(cluster, "quiet-app");
        var payload = Value.Of(new string('w', 4096));
        for (var i = 0; i < 4000; i++) manager.Publish("flood/x", payload);
        var final = manager.GetPeeringStats().Rows.Single(r => r.Peer.Application == "slow-app").Overflows;
        Assert.True(final > 0, "the non-reading client should have overflowed its 32-message buffer");

        (string, string)[] slowApp = [("node", "manager"), ("app", "slow-app")];
        await Eventually.HoldsAsync(async () => (await cluster.ScrapeAsync("manager")).Value(MetricNames.WebSocketClientBufferOverflowsTotal, slowApp) == final,
            () => Task.FromResult($"the slow app's counter never reached {final}"));
        Assert.Equal(32, (await cluster.ScrapeAsync("manager")).Value(MetricNames.WebSocketClientBufferRecentMaxMessages, slowApp));

        // The client leaves: its gauges drop to zero, the counter keeps exactly its total, the other app lost nothing.
        slow.Abort();
        slow.Dispose();
        await Eventually.HoldsAsync(async () => (await cluster.ScrapeAsync("manager")).Value(MetricNames.WebSocketClients, slowApp) == 0,
            () => Task.FromResult("the departed client is still counted"));
        var after = await cluster.ScrapeAsync("manager");
        Assert.Equal(final, after.Value(MetricNames.WebSocketClientBufferOverflowsTotal, slowApp));
        Assert.Equal(0, after.Value(MetricNames.WebSocketClientBufferRecentMaxMessages, slowApp));
        Assert.Equal(0, after.Value(MetricNames.WebSocketClientBufferOverflowsTotal, ("node", "manager"), ("app", "quiet-app")));
        Assert.Equal(1, after.Value(MetricNames.WebSocketClients, ("node", "manager"), ("app", "quiet-app")));

        // A new client of the same app adds to the same total, never restarts it.
        using var again = await ConnectAsync(cluster, "slow-app", "flood/");
        await Eventually.HoldsAsync(async () => (await cluster.ScrapeAsync("manager")).Value(MetricNames.WebSocketClients, slowApp) == 1,
            () => Task.FromResult("the returning client is not counted"));
        Assert.Equal(final, (await cluster.ScrapeAsync("manager")).Value(MetricNames.WebSocketClientBufferOverflowsTotal, slowApp));
    }
}
