using System.Net;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;

namespace Spillway.Engine.Tests.Peering;

/// <summary>Local subscriptions through the prefix index, and the node-wide cap on announced (local and client) prefixes.</summary>
public class LocalSubscriptionTests
{
    [Fact]
    public async Task Every_matching_prefix_and_every_handler_of_a_prefix_gets_the_message_until_unsubscribed()
    {
        await using var a = new SpillwayEndpoint();
        var got = new List<string>();
        var all = a.Subscribe("", (topic, _) => got.Add("all " + topic));
        var x = a.Subscribe("x/", (topic, _) => got.Add("x/ " + topic));
        var x2 = a.Subscribe("x/", (topic, _) => got.Add("x/ again " + topic));
        var xy = a.Subscribe("x/y", (topic, _) => got.Add("x/y " + topic));
        using var z = a.Subscribe("z", (topic, _) => got.Add("z " + topic));

        a.Publish("x/y/1", Value.None);
        Assert.Equal(["all x/y/1", "x/ x/y/1", "x/ again x/y/1", "x/y x/y/1"], got);

        got.Clear();
        x.Dispose();
        xy.Dispose();
        all.Dispose();
        a.Publish("x/y/2", Value.None);
        a.Publish("q", Value.None);
        Assert.Equal(["x/ again x/y/2"], got);
        Assert.Equal(["x/", "z"], a.AnnouncedSubscriptions);
        x2.Dispose();
        Assert.Equal(["z"], a.AnnouncedSubscriptions);
    }

    [Fact]
    public async Task A_client_that_would_push_the_announced_prefixes_over_the_node_cap_is_refused_and_counted_alone()
    {
        await using var a = new SpillwayEndpoint(new EndpointOptions { MaxLocalSubscriptions = 5 });
        await using var peer = new SpillwayEndpoint();
        using var own = a.Subscribe("own/", (_, _) => { });
        using var first = a.AttachClient("127.0.0.1:1", ["b/", "c/"]);
        using var second = a.AttachClient("127.0.0.1:2", ["b/", "d/", "e/"]); // b/ is shared: 5 distinct
        Assert.Equal(["b/", "c/", "d/", "e/", "own/"], a.AnnouncedSubscriptions);

        var e = Assert.Throws<BudgetExceededException>(() => a.AttachClient("127.0.0.1:3", ["f/"]));
        Assert.Equal(RefusalReason.Subscriptions, e.Reason);
        Assert.Equal("with its 1 topic prefixes the node would announce 6, over its maximum of 5", e.Message);
        Assert.Equal(1, a.Refusals[RefusalReason.Subscriptions]);
        Assert.Equal(["b/", "c/", "d/", "e/", "own/"], a.AnnouncedSubscriptions);
        // A prefix already announced costs nothing: a client repeating them fits.
        using var third = a.AttachClient("127.0.0.1:4", ["c/", "e/", "c/"]);

        // The node's own code is never refused, and a real peer still gets what the accepted clients subscribed to.
        var more = a.Subscribe("more/", (_, _) => { });
        var aEvents = new PeerEvents(a);
        peer.Peer("127.0.0.1", a.Listen(IPAddress.Loopback, 0));
        await aEvents.WaitForAsync("added");
        await Eventually.HoldsAsync(() => peer.Publish("d/x", Value.None) == 1, () => "the peer never learned the clients' prefixes");
        var taken = new ClientMessage[4];
        await Eventually.HoldsAsync(() => second.TakeBatch(taken) == 1, () => "the second client never got the peer's message");
        Assert.Equal("d/x", taken[0].Topic);

        // Leaving gives prefixes back: e/ stays while the third client holds it, d/ goes; f/ fits once more/ is gone too.
        second.Dispose();
        Assert.Equal(["b/", "c/", "e/", "more/", "own/"], a.AnnouncedSubscriptions);
        Assert.Throws<BudgetExceededException>(() => a.AttachClient("127.0.0.1:5", ["f/"]));
        more.Dispose();
        using var fourth = a.AttachClient("127.0.0.1:6", ["f/"]);
        Assert.Equal(["b/", "c/", "e/", "f/", "own/"], a.AnnouncedSubscriptions);
        Assert.Equal(2, a.Refusals[RefusalReason.Subscriptions]);
    }
}
