using System.Collections.Concurrent;
using System.Net;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;

namespace Spillway.Engine.Tests.Peering;

public class BackpressureTests
{
    private const string Topic = "load/";

    /// <summary>A subscriber that counts deliveries and checks each publisher's sequence only ever rises.</summary>
    private sealed class Receiver
    {
        private readonly ConcurrentDictionary<long, long> _lastSeq = new();
        private long _delivered;
        private long _outOfOrder;

        public Receiver(SpillwayEndpoint endpoint) => endpoint.Subscribe(Topic, (_, value) =>
        {
            var v = (VectorValue)value;
            var publisher = ((IntegerValue)v.Items[0]).Value;
            var seq = ((IntegerValue)v.Items[1]).Value;
            var last = _lastSeq.GetOrAdd(publisher, -1);
            if (seq <= last) Interlocked.Increment(ref _outOfOrder);
            _lastSeq[publisher] = seq;
            Interlocked.Increment(ref _delivered);
        });

        public long Delivered => Interlocked.Read(ref _delivered);
        public long OutOfOrder => Interlocked.Read(ref _outOfOrder);
    }

    [Fact]
    public async Task Conservation_holds_per_peering_and_a_slow_peer_costs_the_fast_peer_nothing()
    {
        const int publishers = 4, perPublisher = 6000, published = publishers * perPublisher;
        await using var source = new SpillwayEndpoint(new EndpointOptions { SocketBufferBytes = 4096 });
        await using var slow = new SpillwayEndpoint(new EndpointOptions { InboundMessagesPerSecond = 2000, SocketBufferBytes = 4096 });
        await using var fast = new SpillwayEndpoint();
        var slowReceiver = new Receiver(slow);
        var fastReceiver = new Receiver(fast);
        var events = new PeerEvents(source);
        source.Peer("127.0.0.1", slow.Listen(IPAddress.Loopback, 0));
        source.Peer("127.0.0.1", fast.Listen(IPAddress.Loopback, 0));
        await events.WaitForAsync("added", 2);
        // Both subscriptions arrived with the hellos, so every publish below is offered to both peers.

        // Publishers on their own threads that respect the fast peer's backpressure (as a well-behaved
        // application would) but ignore the slow one's. If the slow peering held up the fast one's drain,
        // they would stall here and the test would time out.
        var errors = new ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, publishers).Select(p => new Thread(() =>
        {
            try
            {
                for (var i = 0; i < perPublisher; i++)
                {
                    while (source.TryGetPeeringStats(fast.Id, out var f) && f.Queued > f.Capacity / 2) Thread.Sleep(1);
                    var offered = source.Publish(Topic + p, new VectorValue(Value.Of((long)p), Value.Of((long)i)));
                    if (offered != 2) throw new InvalidOperationException($"publish offered to {offered} peers, expected 2");
                }
            }
            catch (Exception e) { errors.Enqueue(e); }
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        await Task.Run(() => threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a publisher stalled")));
        Assert.Empty(errors);

        PeeringStats Row(SpillwayEndpoint peer) => source.TryGetPeeringStats(peer.Id, out var row) ? row : throw new InvalidOperationException("peering gone");
        await Eventually.HoldsAsync(
            () => Row(slow).Queued == 0 && slowReceiver.Delivered + Row(slow).Overflows == published,
            () => $"slow: delivered {slowReceiver.Delivered} + overflows {Row(slow).Overflows} + queued {Row(slow).Queued} vs {published}",
            timeoutSeconds: 60);
        await Eventually.HoldsAsync(() => fastReceiver.Delivered == published,
            () => $"fast: delivered {fastReceiver.Delivered} of {published}, overflows {Row(fast).Overflows}");

        var slowRow = Row(slow);
        var fastRow = Row(fast);
        Assert.True(slowRow.Overflows > 0, "the slow peer should have overflowed; the test setup is not slow enough");
        Assert.Equal(published, slowReceiver.Delivered + slowRow.Overflows + slowRow.Queued);
        Assert.Equal(published, fastReceiver.Delivered + fastRow.Overflows + fastRow.Queued);
        // The buffer's own offered counter agrees: every publish counted once per peering, and
        // offered = delivered + dropped + still queued.
        Assert.Equal(published, slowRow.Offered);
        Assert.Equal(published, fastRow.Offered);
        Assert.Equal(slowRow.Offered, slowReceiver.Delivered + slowRow.Overflows + slowRow.Queued);
        Assert.Equal(fastRow.Offered, fastReceiver.Delivered + fastRow.Overflows + fastRow.Queued);
        Assert.Equal(0, fastRow.Overflows);
        Assert.Equal(0, slowReceiver.OutOfOrder);
        Assert.Equal(0, fastReceiver.OutOfOrder);
        Assert.Equal(8192, slowRow.RecentMax); // it filled up completely within the window
    }

    [Fact]
    public async Task Disconnect_policy_removes_the_peering_then_the_initiator_re_peers_and_traffic_flows()
    {
        var initiatorOptions = new EndpointOptions
        {
            PeerBufferSize = 16,
            PeerOverflowPolicy = OverflowPolicy.Disconnect,
            SocketBufferBytes = 4096,
            RetryInterval = TimeSpan.FromMilliseconds(200),
        };
        await using var initiator = new SpillwayEndpoint(initiatorOptions);
        await using var acceptor = new SpillwayEndpoint(new EndpointOptions { InboundMessagesPerSecond = 200, SocketBufferBytes = 4096 });
        var initiatorPort = initiator.Listen(IPAddress.Loopback, 0); // listening too, so a dial-back would be seen
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        acceptor.Subscribe(Topic, (topic, _) => { if (topic == Topic + "after") marker.TrySetResult(); });
        var initiatorEvents = new PeerEvents(initiator);
        var acceptorEvents = new PeerEvents(acceptor);
        initiator.Peer("127.0.0.1", acceptor.Listen(IPAddress.Loopback, 0));
        await initiatorEvents.WaitForAsync("added");

        var payload = Value.Of(new string('x', 200));
        for (var i = 0; i < 5000 && initiatorEvents.All.All(e => e.Kind != "removed"); i++)
            initiator.Publish(Topic + "flood", payload);

        var removed = await initiatorEvents.WaitForAsync("removed");
        Assert.Equal(CloseReason.BackpressureOverflow, removed.Reason);
        Assert.Equal("backpressure overflow", removed.Detail);
        Assert.Equal(acceptor.Id, removed.Peer.EndpointId);
        await acceptorEvents.WaitForAsync("lost");

        var readded = await initiatorEvents.WaitForAsync("added", 2);
        Assert.Equal(acceptor.Id, readded.Peer.EndpointId);
        Assert.Equal(PeeringDirection.Initiated, readded.Peer.Direction);
        var readdedAtAcceptor = await acceptorEvents.WaitForAsync("added", 2);
        Assert.Equal(PeeringDirection.Accepted, readdedAtAcceptor.Peer.Direction);

        var row = initiator.GetPeeringStats()[acceptor.Id];
        Assert.Equal((0, 0L), (row.Queued, row.Overflows)); // a new peering starts from zero in the engine
        initiator.Publish(Topic + "after", Value.Of(1L));
        await marker.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // The acceptor never dialed: every peering it saw was accepted, and the initiator never accepted one.
        Assert.All(acceptorEvents.All.Where(e => e.Kind == "added"), e => Assert.Equal(PeeringDirection.Accepted, e.Args.Peer.Direction));
        Assert.All(initiatorEvents.All, e => Assert.Equal(PeeringDirection.Initiated, e.Args.Peer.Direction));
        Assert.NotEqual(0, initiatorPort);
    }
}
