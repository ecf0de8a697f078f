using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Telemetry.Export;
using Spillway.Telemetry.Naming;

namespace Spillway.Telemetry.Tests.Naming;

/// <summary>The <c>app</c> label of the WebSocket aggregates: the cap, and counters that never go back.</summary>
public class WebSocketAppLedgerTests
{
    private static PeerInfo Client(string? application) =>
        new(EndpointId.NewRandom(), "127.0.0.1:1", PeeringDirection.Accepted) { Application = application };

    private static PeeringStats Row(PeerInfo client, int recentMax, long overflows) =>
        new(client.EndpointId, SubscriberKind.Client, PeeringDirection.Accepted, client.RemoteAddress, 64, OverflowPolicy.DropOldest,
            0, recentMax, overflows, overflows, client);

    private static List<WebSocketAppAggregates> Fill(WebSocketAppLedger ledger, params PeeringStats[] rows)
    {
        ledger.BeginFill();
        foreach (var row in rows) ledger.Observe(row);
        var result = new List<WebSocketAppAggregates>();
        ledger.Fill(result);
        return result;
    }

    [Fact]
    public void Names_beyond_the_cap_are_other_and_unknown_and_other_take_no_slot()
    {
        var ledger = new WebSocketAppLedger(2);
        Assert.Equal(["unknown", "a", "unknown", "other", "b", "other", "a"],
            new[] { null, "a", "unknown", "other", "b", "c", "a" }.Select(ledger.LabelOf));
        Assert.Equal(
            [new("unknown", 0, 0, 0), new("a", 0, 0, 0), new("other", 0, 0, 0), new("b", 0, 0, 0)],
            Fill(ledger));
    }

    [Fact]
    public void A_cap_of_zero_labels_every_named_client_other()
    {
        var ledger = new WebSocketAppLedger(0);
        var a = Client("a");
        Assert.Equal([new("unknown", 0, 0, 0), new("other", 1, 3, 4)], Fill(ledger, Row(a, 3, 4)));
    }

    [Fact]
    public void A_counter_never_dips_between_the_clients_departure_and_its_event_and_ends_at_the_final_count()
    {
        var ledger = new WebSocketAppLedger(32);
        var first = Client("zeek-intel");
        var second = Client("zeek-intel");
        Assert.Equal([new("unknown", 0, 0, 0), new("zeek-intel", 2, 9, 5)], Fill(ledger, Row(first, 9, 5), Row(second, 2, 0)));

        // first has left the stats table, its event has not arrived: it still counts with what was last seen.
        Assert.Equal([new("unknown", 0, 0, 0), new("zeek-intel", 1, 2, 6)], Fill(ledger, Row(second, 2, 1)));

        // The event brings its final count (it overflowed twice more after the last scrape).
        ledger.OnLeft(first, finalOverflows: 7);
        Assert.Equal([new("unknown", 0, 0, 0), new("zeek-intel", 1, 2, 8)], Fill(ledger, Row(second, 2, 1)));

        // A client never seen by a scrape still adds its final count; one that lost nothing adds nothing.
        ledger.OnLeft(Client(null), finalOverflows: 3);
        ledger.OnLeft(Client("never-seen"), finalOverflows: 0);
        Assert.Equal([new("unknown", 0, 0, 3), new("zeek-intel", 0, 0, 8)], Fill(ledger));
        ledger.OnLeft(second, finalOverflows: 2);
        Assert.Equal([new("unknown", 0, 0, 3), new("zeek-intel", 0, 0, 9)], Fill(ledger));
    }

    [Fact]
    public async Task A_real_endpoints_client_keeps_its_apps_total_after_it_leaves()
    {
        await using var node = new TestNode("manager", new EndpointOptions { WebSocketBufferSize = 4 });
        var session = node.Endpoint.AttachClient("127.0.0.1:5", ["t/"], "slow-app");
        Assert.Equal("slow-app", session.Application);
        for (var i = 0; i < 10; i++) node.Endpoint.Publish("t/x", Value.Of((ulong)i));
        Assert.Contains(new WebSocketAppAggregates("slow-app", 1, 4, 6), node.Snapshot().WebSocketApps);

        session.Dispose();
        await Eventually.HoldsAsync(() => node.Snapshot().WebSocketApps.Contains(new WebSocketAppAggregates("slow-app", 0, 0, 6)),
            () => "after the client left: " + string.Join("; ", node.Snapshot().WebSocketApps));
    }
}
