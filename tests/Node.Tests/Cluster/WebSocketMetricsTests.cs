using System.Net.WebSockets;
using System.Text;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Telemetry.Export;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Tests.Cluster;

/// <summary>Issue 4's telemetry: WebSocket clients show up only as node-level aggregates.</summary>
public class WebSocketMetricsTests
{
    [Fact]
    public async Task A_client_that_never_reads_raises_the_aggregate_overflows_while_peers_lose_nothing_and_no_label_names_a_client()
    {
        var clientBuffers = BufferSettings.Default with { WebSocketBufferSize = 32 };
        await using var cluster = new TestCluster([("manager", NodeRole.Manager, 0, clientBuffers), ("worker-1", NodeRole.Worker, 0, null)], webSocketNode: "manager");
        await cluster.StartAsync("manager");
        await cluster.StartAsync("worker-1");
        await cluster.WaitForNamesAsync("manager", "worker-1");
        var manager = cluster["manager"].Endpoint;
        var worker = cluster["worker-1"].Endpoint;
        long workerReceived = 0;
        worker.Subscribe("flood/", (_, _) => Interlocked.Increment(ref workerReceived));

        // A real client that subscribes and then never reads again.
        using var client = cluster.NewWebSocketClient();
        await client.ConnectAsync(cluster.WebSocketUri("manager"), CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes("[\"flood/\"]"), WebSocketMessageType.Text, true, CancellationToken.None);
        var ack = new byte[4096];
        var ackResult = await client.ReceiveAsync(ack, CancellationToken.None);
        Assert.Contains($"\"endpoint\":\"{manager.Id}\"", Encoding.UTF8.GetString(ack, 0, ackResult.Count));

        await Eventually.HoldsAsync(async () => (await cluster.ScrapeAsync("manager")).Value(MetricNames.WebSocketClients, ("node", "manager"), ("app", "unknown")) == 1,
            () => Task.FromResult("the manager never counted the client"));
        var clientId = manager.GetPeeringStats().Rows.Single(r => r.Kind == SubscriberKind.Client).EndpointId.ToString();
        await Eventually.HoldsAsync(() => Task.FromResult(manager.Publish("flood/probe", Value.None) == 2),
            () => Task.FromResult("the manager does not offer flood/ to both the client and the worker"));

        // Flood from the manager: both the client and the worker subscribe. The worker is paced by its own
        // buffer (a well-behaved publisher); the client is not read at all.
        var payload = Value.Of(new string('w', 2048));
        const int published = 4000;
        for (var i = 0; i < published; i++)
        {
            await Eventually.HoldsAsync(() => !(manager.TryGetPeeringStats(worker.Id, out var w) && w.Queued > w.Capacity / 2),
                () => $"the worker stalled: manager's row for it {(manager.TryGetPeeringStats(worker.Id, out var r) ? r.ToString() : "gone")}");
            manager.Publish("flood/x", payload);
        }

        await Eventually.HoldsAsync(() => Task.FromResult(Interlocked.Read(ref workerReceived) == published + 1),
            () => Task.FromResult($"the worker received {Interlocked.Read(ref workerReceived)} of {published + 1}; manager's row for it: " +
                (manager.TryGetPeeringStats(worker.Id, out var r) ? r.ToString() : "gone") + $"; worker peers: {string.Join(",", worker.Peers)}"));
        Assert.True(manager.TryGetPeeringStats(worker.Id, out var workerRow));
        Assert.Equal(0, workerRow.Overflows);

        var scrape = await cluster.ScrapeAsync("manager");
        var clientOverflows = manager.GetPeeringStats().Rows.Single(r => r.Kind == SubscriberKind.Client).Overflows;
        Assert.True(clientOverflows > 0, "the non-reading client should have overflowed its 32-message buffer");
        Assert.Equal(clientOverflows, scrape.Value(MetricNames.WebSocketClientBufferOverflowsTotal, ("node", "manager"), ("app", "unknown")));
        Assert.Equal(32, scrape.Value(MetricNames.WebSocketClientBufferRecentMaxMessages, ("node", "manager"), ("app", "unknown")));
        Assert.Equal(0, scrape.Value(MetricNames.PeerBufferOverflowsTotal, ("node", "manager"), ("peer", "worker-1")));

        // No series anywhere carries the client's id, nor any per-peer series for it.
        var text = await cluster.ScrapeTextAsync("manager");
        Assert.DoesNotContain(clientId, text);
        // Label values are node names, a refusal reason from its fixed set, or the app of a client that gave no name.
        var reasons = RefusalReasonNames.All.Select(r => r.ToLabel()).ToArray();
        Assert.All(scrape.WithPrefix("spillway_"), s => Assert.All(s.Labels, l =>
            Assert.Contains(l.Value, l.Key switch
            {
                MetricNames.ReasonLabel => reasons,
                MetricNames.AppLabel => new[] { "unknown" },
                _ => new[] { "manager", "worker-1" },
            })));

        // The client leaves: the gauge drops to zero, the overflow total stays.
        client.Abort();
        await Eventually.HoldsAsync(async () => (await cluster.ScrapeAsync("manager")).Value(MetricNames.WebSocketClients, ("node", "manager"), ("app", "unknown")) == 0,
            () => Task.FromResult("the departed client is still counted"));
        var after = await cluster.ScrapeAsync("manager");
        Assert.True(after.Value(MetricNames.WebSocketClientBufferOverflowsTotal, ("node", "manager"), ("app", "unknown")) >= clientOverflows);
    }
}
