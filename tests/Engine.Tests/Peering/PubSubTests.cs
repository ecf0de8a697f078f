using System.Net;
using System.Text;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;

namespace Spillway.Engine.Tests.Peering;

public class PubSubTests
{
    [Fact]
    public async Task Peering_exchanges_ids_and_delivers_matching_messages_in_publish_order()
    {
        await using var a = new SpillwayEndpoint();
        await using var b = new SpillwayEndpoint();
        var received = new List<long>();
        var other = 0;
        using var sub = b.Subscribe("spillway/logs", (topic, value) =>
        {
            lock (received) received.Add(((IntegerValue)value).Value);
        });
        using var sub2 = b.Subscribe("other", (_, _) => Interlocked.Increment(ref other));
        var aEvents = new PeerEvents(a);
        var bEvents = new PeerEvents(b);
        var port = b.Listen(IPAddress.Loopback, 0);
        Assert.NotEqual(0, port);

        a.Peer("127.0.0.1", port);
        var added = await aEvents.WaitForAsync("added");
        var addedAtB = await bEvents.WaitForAsync("added");
        Assert.Equal(b.Id, added.Peer.EndpointId);
        Assert.Equal(PeeringDirection.Initiated, added.Peer.Direction);
        Assert.Equal(a.Id, addedAtB.Peer.EndpointId);
        Assert.Equal(PeeringDirection.Accepted, addedAtB.Peer.Direction);

        for (long i = 0; i < 5000; i++)
            Assert.Equal(1, a.Publish(i % 2 == 0 ? "spillway/logs/conn" : "spillway/logs", Value.Of(i)));
        Assert.Equal(0, a.Publish("spillway/metrics", Value.Of(1L))); // b does not subscribe: offered to nobody
        await Eventually.HoldsAsync(() => { lock (received) return received.Count == 5000; }, () => $"{received.Count} of 5000");
        lock (received) Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), received);
        Assert.Equal(0, Volatile.Read(ref other));
    }

    /// <summary>
    /// Peers registered with prefix sets a, a, b, a: the publish matches a run of equal sets once (they share one
    /// matcher), so this checks every peer still gets exactly what it subscribed to, in runs and across them, and that
    /// a peer whose set changes is matched by its new set from then on.
    /// </summary>
    [Fact]
    public async Task Peers_with_equal_and_different_prefix_sets_each_get_exactly_their_messages()
    {
        await using var hub = new SpillwayEndpoint();
        var hubEvents = new PeerEvents(hub);
        var port = hub.Listen(IPAddress.Loopback, 0);
        string[] prefixes = ["a/", "a/", "b/", "a/"];
        var peers = new List<SpillwayEndpoint>();
        var received = new int[prefixes.Length];
        var subscriptions = new List<IDisposable>();
        try
        {
            for (var i = 0; i < prefixes.Length; i++)
            {
                var peer = new SpillwayEndpoint();
                peers.Add(peer);
                var index = i;
                subscriptions.Add(peer.Subscribe(prefixes[i], (_, _) => Interlocked.Increment(ref received[index])));
                peer.Peer("127.0.0.1", port);
                // One at a time, so the hub registers them in this order.
                await Eventually.HoldsAsync(() => hubEvents.All.Count(e => e.Kind == "added") == index + 1, () => $"peer {index} not added");
            }

            for (var n = 0; n < 100; n++)
            {
                Assert.Equal(3, hub.Publish("a/x", Value.Of((long)n)));
                Assert.Equal(1, hub.Publish("b/y", Value.Of((long)n)));
                Assert.Equal(0, hub.Publish("c/z", Value.Of((long)n)));
            }
            await Eventually.HoldsAsync(() => received.Sum() == 400, () => string.Join(", ", received));
            Assert.Equal([100, 100, 100, 100], received);

            // The b peer adds a/: its set is now {a/, b/}, which no other peer has.
            subscriptions.Add(peers[2].Subscribe("a/", (_, _) => Interlocked.Increment(ref received[2])));
            await Eventually.HoldsAsync(() => hub.Publish("a/probe", Value.Of(0L)) == 4, () => "the hub never saw the b peer subscribe to a/");
            // The second a peer drops its only prefix: between two a peers there is now one with an empty set.
            subscriptions[1].Dispose();
            await Eventually.HoldsAsync(() => hub.Publish("a/probe", Value.Of(0L)) == 3, () => "the hub never saw the second peer unsubscribe");
            Assert.Equal(1, hub.Publish("b/y", Value.Of(0L)));
        }
        finally
        {
            foreach (var s in subscriptions) s.Dispose();
            foreach (var peer in peers) await peer.DisposeAsync();
        }
    }

    [Fact]
    public async Task Subscription_changes_are_announced_to_live_peers()
    {
        await using var a = new SpillwayEndpoint();
        await using var b = new SpillwayEndpoint();
        var aEvents = new PeerEvents(a);
        a.Peer("127.0.0.1", b.Listen(IPAddress.Loopback, 0));
        await aEvents.WaitForAsync("added");
        Assert.Equal(0, a.Publish("late/topic", Value.Of("x")));

        var got = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = b.Subscribe("late/", (topic, value) => got.TrySetResult(((StringValue)value).Value));
        // The update travels to a; retry the publish until a knows of it.
        await Eventually.HoldsAsync(() => a.Publish("late/topic", Value.Of("hello")) == 1, () => "a never learned b's new subscription");
        Assert.Equal("hello", await got.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        subscription.Dispose();
        await Eventually.HoldsAsync(() => a.Publish("late/topic", Value.Of("gone")) == 0, () => "a never learned b unsubscribed");
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(60_000)]
    public async Task Small_socket_buffers_with_large_frames_deliver_everything_without_stalling(int payloadSize)
    {
        // Regression: a receive buffer pinned below one loopback segment (64 KiB) stalled TCP in zero-window probing.
        // The burst (2000 x 60 KB = 120 MB) is queued at once: lift the byte bound above it, this test is about TCP, not budgets.
        var options = new EndpointOptions { SocketBufferBytes = 8192, PeerBufferBytes = 256L * 1024 * 1024 };
        await using var a = new SpillwayEndpoint(options);
        await using var b = new SpillwayEndpoint(options);
        long received = 0;
        b.Subscribe("big/", (_, _) => Interlocked.Increment(ref received));
        var events = new PeerEvents(a);
        a.Peer("127.0.0.1", b.Listen(IPAddress.Loopback, 0));
        await events.WaitForAsync("added");
        var payload = Value.Of(new string('w', payloadSize));
        const int count = 2000;
        for (var i = 0; i < count; i++) Assert.Equal(1, a.Publish("big/x", payload));
        await Eventually.HoldsAsync(() => Interlocked.Read(ref received) == count, () => $"{Interlocked.Read(ref received)} of {count} arrived");
        Assert.True(a.TryGetPeeringStats(b.Id, out var row));
        Assert.Equal((0, 0L), (row.Queued, row.Overflows));
    }

    /// <summary>
    /// A publish queues one item for every peering it reaches (<see cref="PublishEncoding"/>): the message itself, which
    /// each peering's drain loop encodes straight into its write chunk, three of them at once for a publish to all
    /// three, or a container's frame encoded at publish time. Every path must put the same bytes on the wire: every
    /// kind of value, strings of every UTF-8 width, and messages larger than a write chunk, each peering's messages in
    /// publish order.
    /// </summary>
    [Fact]
    public async Task Publishes_to_one_peering_and_to_three_arrive_intact_and_in_order_at_each()
    {
        await using var hub = new SpillwayEndpoint();
        var events = new PeerEvents(hub);
        SpillwayEndpoint[] peers = [new(), new(), new()];
        var received = peers.Select(_ => new List<(string, Value)>()).ToArray();
        // Every peering subscribes to mix/ (three peerings per publish) and to a topic of its own (one).
        var subscriptions = peers.SelectMany((peer, i) => new[] { "mix/", $"solo{i}/" }.Select(prefix => peer.Subscribe(prefix, (topic, value) =>
        {
            lock (received[i]) received[i].Add((topic, value));
        }))).ToList();
        try
        {
            foreach (var peer in peers) hub.Peer("127.0.0.1", peer.Listen(IPAddress.Loopback, 0));
            await events.WaitForAsync("added", peers.Length);

            Value Message(int i) => (i % 7) switch
            {
                6 => StringValue.FromUtf8(Encoding.UTF8.GetBytes($"{i} from UTF-8 " + (i % 2 == 0 ? "ascii" : "caf\u00e9"))),
                0 => Value.Of($"{i} " + new string('a', i % 97)),
                1 => Value.Of($"{i} " + new string('é', i % 50) + "\U0001F600"),
                2 => Value.Of((long)i),
                3 => new VectorValue(Value.Of((long)i), Value.Of("in a vector")),
                4 => new AddressValue(IPAddress.Parse($"10.0.{i % 256}.1")),
                _ => Value.Of($"{i} " + new string('L', 70_000 + i)), // larger than the 64 KiB write chunk
            };
            var expected = peers.Select(_ => new List<(string, Value)>()).ToArray();
            void PublishToAll(Value value)
            {
                Assert.Equal(3, hub.Publish("mix/x", value));
                foreach (var list in expected) list.Add(("mix/x", value));
            }
            void PublishToOne(int peer, Value value)
            {
                Assert.Equal(1, hub.Publish($"solo{peer}/x", value));
                expected[peer].Add(($"solo{peer}/x", value));
            }
            for (var i = 0; i < 300; i++)
            {
                PublishToAll(Message(i));
                PublishToOne(i % peers.Length, Message(i + 1));
            }

            // A value that cannot be encoded fails its publish, and queues nothing: the peerings carry on.
            var bad = Value.Of("lone \uD800 surrogate");
            Assert.ThrowsAny<ArgumentException>(() => hub.Publish("mix/x", bad));
            Assert.ThrowsAny<ArgumentException>(() => hub.Publish("solo0/x", bad));
            PublishToAll(Value.Of("after the refused ones"));
            PublishToOne(0, Value.Of("after the refused ones, alone"));

            for (var i = 0; i < peers.Length; i++)
            {
                var (list, want) = (received[i], expected[i]);
                await Eventually.HoldsAsync(() => { lock (list) return list.Count == want.Count; },
                    () => { lock (list) return $"peer {i}: {list.Count} of {want.Count}"; });
                lock (list) Assert.Equal(want, list);
                Assert.True(hub.TryGetPeeringStats(peers[i].Id, out var row));
                Assert.Equal(((long)want.Count, 0L, 0), (row.Offered, row.Overflows, row.Queued));
            }
            Assert.DoesNotContain(events.All, e => e.Kind == "removed");
        }
        finally
        {
            subscriptions.ForEach(s => s.Dispose());
            foreach (var peer in peers) await peer.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_session_publishes_like_a_local_publish_but_not_to_itself_and_nothing_once_closed()
    {
        await using var a = new SpillwayEndpoint();
        var local = new List<string>();
        using var sub = a.Subscribe("c/", (topic, _) => local.Add(topic));
        var client = a.AttachClient("test", ["c/"]);
        var other = a.AttachClient("test", ["c/"]);

        Assert.Equal(1, client.Publish("c/1", Value.None)); // offered to the other client only
        Assert.Equal(["c/1"], local);
        var batch = new ClientMessage[4];
        Assert.Equal(0, client.TakeBatch(batch));
        Assert.Equal(1, other.TakeBatch(batch));
        Assert.Equal(new ClientMessage("c/1", Value.None, null), batch[0]); // the decoded message, not wire bytes

        client.Dispose();
        Assert.Equal(CloseReason.ConnectionLost, client.CloseReason);
        Assert.Equal("client disconnected", client.CloseDetail);
        Assert.Equal(0, client.Publish("c/2", Value.None));
        Assert.Equal(["c/1"], local);
        Assert.Equal(0, other.TakeBatch(batch));
        Assert.Single(a.GetPeeringStats().Rows);
    }

    /// <summary>
    /// A message from a peer goes to the matching clients and to no other peering; the read loops find the clients in
    /// their own snapshot, which must follow clients attaching and leaving while peerings stay.
    /// </summary>
    [Fact]
    public async Task Messages_from_a_peer_reach_exactly_the_clients_attached_at_the_time_and_no_other_peering()
    {
        await using var hub = new SpillwayEndpoint();
        var hubEvents = new PeerEvents(hub);
        var port = hub.Listen(IPAddress.Loopback, 0);
        var peers = new List<SpillwayEndpoint>();
        var forwarded = 0;
        var subscriptions = new List<IDisposable>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var peer = new SpillwayEndpoint();
                peers.Add(peer);
                // The other peerings subscribe to what the clients do: a forwarded message would show here.
                if (i > 0)
                    foreach (var prefix in new[] { "c/", "d/" })
                        subscriptions.Add(peer.Subscribe(prefix, (_, _) => Interlocked.Increment(ref forwarded)));
                peer.Peer("127.0.0.1", port);
                var expected = i + 1;
                await Eventually.HoldsAsync(() => hubEvents.All.Count(e => e.Kind == "added") == expected, () => $"peer {expected} not added");
            }
            var c = hub.AttachClient("test", ["c/"]);
            var d = hub.AttachClient("test", ["d/"]);
            var source = peers[0];
            // The hub announces the clients' prefixes to its peers; publish once the source holds both.
            await Eventually.HoldsAsync(
                () => source.TryGetConnection(hub.Id, out var toHub) && toHub.Subscriptions.Contains("c/") && toHub.Subscriptions.Contains("d/"),
                () => "the source never learned the clients' subscriptions");

            Assert.Equal(1, source.Publish("c/0", Value.Of(0L)));
            Assert.Equal(1, source.Publish("d/1", Value.Of(1L)));
            var cGot = new List<string>();
            var dGot = new List<string>();
            await TakeUntilAsync(c, cGot, 1);
            await TakeUntilAsync(d, dGot, 1);
            Assert.Equal(["c/0"], cGot);
            Assert.Equal(["d/1"], dGot);

            // A new client for c/ first, so the announced set never loses c/ while c leaves.
            var e = hub.AttachClient("test", ["c/"]);
            c.Dispose();
            Assert.Equal(1, source.Publish("c/2", Value.Of(2L)));
            Assert.Equal(1, source.Publish("d/3", Value.Of(3L)));
            var eGot = new List<string>();
            await TakeUntilAsync(e, eGot, 1);
            await TakeUntilAsync(d, dGot, 2);
            Assert.Equal(["c/2"], eGot);
            Assert.Equal(["d/1", "d/3"], dGot);
            Assert.Equal(0, c.TakeBatch(new ClientMessage[4]));
            Assert.Equal(2, hub.ClientsOfferedPeerMessages); // d and e: the one that left is not walked any more
            d.Dispose();
            e.Dispose();
            Assert.Equal(0, hub.ClientsOfferedPeerMessages);

            // Nothing the source sent went on to the hub's other peerings (given time to cross their sockets).
            await Task.Delay(200);
            Assert.Equal(0, Volatile.Read(ref forwarded));
        }
        finally
        {
            foreach (var s in subscriptions) s.Dispose();
            foreach (var p in peers) await p.DisposeAsync();
        }

        static async Task TakeUntilAsync(ClientSession session, List<string> got, int count)
        {
            var batch = new ClientMessage[8];
            await Eventually.HoldsAsync(() =>
            {
                var n = session.TakeBatch(batch);
                for (var i = 0; i < n; i++) got.Add(batch[i].Topic);
                return got.Count >= count;
            }, () => $"{got.Count} of {count} messages: {string.Join(", ", got)}");
        }
    }

    [Fact]
    public async Task Local_subscribers_receive_local_publishes()
    {
        await using var a = new SpillwayEndpoint();
        var got = new List<string>();
        using var sub = a.Subscribe("x/", (topic, _) => got.Add(topic));
        a.Publish("x/1", Value.None);
        a.Publish("y/1", Value.None);
        a.Publish("x/2", Value.None);
        Assert.Equal(["x/1", "x/2"], got);
    }

    [Fact]
    public async Task Stats_exist_with_zeros_from_the_moment_the_peering_is_up_and_go_when_it_goes()
    {
        var options = new EndpointOptions { PeerBufferSize = 123, PeerOverflowPolicy = OverflowPolicy.DropNewest };
        await using var a = new SpillwayEndpoint(options);
        await using var b = new SpillwayEndpoint();
        var aEvents = new PeerEvents(a);
        var port = b.Listen(IPAddress.Loopback, 0);
        a.Peer("127.0.0.1", port);
        await aEvents.WaitForAsync("added");

        var table = a.GetPeeringStats();
        var row = Assert.Single(table.Rows);
        Assert.Equal(b.Id, row.EndpointId);
        Assert.Equal(SubscriberKind.Peer, row.Kind);
        Assert.Equal(PeeringDirection.Initiated, row.Direction);
        Assert.Equal($"127.0.0.1:{port}", row.RemoteAddress);
        Assert.Equal((123, OverflowPolicy.DropNewest, 0, 0, 0L), (row.Capacity, row.Policy, row.Queued, row.RecentMax, row.Overflows));
        Assert.Same(table, a.GetPeeringStats()); // storage is reused between calls

        Assert.True(a.Unpeer("127.0.0.1", port));
        var removed = await aEvents.WaitForAsync("removed");
        Assert.Equal(CloseReason.Unpeered, removed.Reason);
        Assert.Equal("unpeered", removed.Detail);
        Assert.Empty(a.GetPeeringStats());
    }

    [Fact]
    public void Invalid_settings_fail_at_construction_naming_the_setting()
    {
        var e = Assert.Throws<ArgumentException>(() => new SpillwayEndpoint(new EndpointOptions { PeerBufferSize = 0 }));
        Assert.Contains("PeerBufferSize", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SpillwayEndpoint(new EndpointOptions { WebSocketBufferSize = -1 }));
        Assert.Contains("WebSocketBufferSize", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SpillwayEndpoint(new EndpointOptions { PeerOverflowPolicy = (OverflowPolicy)42 }));
        Assert.Contains("PeerOverflowPolicy", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SpillwayEndpoint(new EndpointOptions { StatsResetInterval = TimeSpan.Zero }));
        Assert.Contains("StatsResetInterval", e.Message);
    }
}
