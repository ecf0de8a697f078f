using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Telemetry.Export;

namespace Spillway.Telemetry.Tests.Naming;

/// <summary>
/// Every message the surviving side publishes while its peer stalls, dies and comes back is on the books
/// (docs/faults.md, "Where every message goes"): offered = handed to the connection + overflows + discarded + queued,
/// and messages published while no peering to a subscriber exists are not addressed to it at all.
/// </summary>
public sealed class ConservationTests
{
    private static readonly Value Payload = Value.Of(new string('p', 2000));

    private static long Counter(TelemetrySnapshot s, Func<TelemetrySnapshot, List<PeerCounter>> family, string peer) =>
        family(s).Single(c => c.Peer == peer).Value;

    [Fact]
    public async Task Messages_published_across_a_stall_a_close_and_a_restart_are_all_accounted_exactly()
    {
        const int capacity = 16;
        await using var manager = new TestNode("manager", new EndpointOptions
        {
            PeerBufferSize = capacity, PeerOverflowPolicy = OverflowPolicy.DropNewest, SocketBufferBytes = 4096,
        });

        // The logger's handler blocks on the first "stall/" message: its read loop stops, the kernel buffers fill,
        // the manager's drain loop blocks on its write and the buffer fills to capacity and stays there.
        using var gate = new ManualResetEventSlim(false);
        int warmReceived = 0, stallReceived = 0;
        // A stalled reader sees no heartbeats: a long timeout keeps the logger from ending the peering itself.
        var logger = new TestNode("logger", new EndpointOptions { SocketBufferBytes = 4096, HeartbeatTimeout = TimeSpan.FromMinutes(10) });
        logger.Endpoint.Subscribe("warm/", (_, _) => Interlocked.Increment(ref warmReceived));
        logger.Endpoint.Subscribe("stall/", (_, _) =>
        {
            Interlocked.Increment(ref stallReceived);
            gate.Wait();
        });
        manager.Dial(logger);
        await manager.WaitForNamedPeersAsync("logger");

        // Warm-up, one at a time until the logger has one: publishes before the manager knows the logger's
        // subscription are not addressed to it (not offered); every offered one is delivered.
        int published = 0;
        await Eventually.HoldsAsync(() =>
        {
            manager.Endpoint.Publish("warm/x", Payload);
            published++;
            return Volatile.Read(ref warmReceived) > 0;
        }, () => $"the logger received none of {published} warm-up messages");
        await Eventually.HoldsAsync(() => Volatile.Read(ref warmReceived) == Counter(manager.Snapshot(), s => s.PeerOffered, "logger"),
            () => $"logger received {warmReceived} of {Counter(manager.Snapshot(), s => s.PeerOffered, "logger")} offered warm-up messages");
        long warmOffered = Counter(manager.Snapshot(), s => s.PeerOffered, "logger");
        Assert.InRange(warmOffered, 1, published);

        // Stall: the first message blocks the logger's reader; then publish in small steps so the drain loop fills the
        // connection and blocks on its write, and the buffer fills behind it.
        const int stallPublishes = 2000;
        manager.Endpoint.Publish("stall/x", Payload);
        await Eventually.HoldsAsync(() => Volatile.Read(ref stallReceived) == 1, () => "the logger's reader never got the stalling message");
        for (int i = 1; i < stallPublishes; i++)
        {
            manager.Endpoint.Publish("stall/x", Payload);
            if (i % 20 == 0) await Task.Delay(1);
        }
        // Stalled for good: the buffer is full and what was handed to the connection no longer changes between two looks.
        long HandedOver(TelemetrySnapshot s) => Counter(s, x => x.PeerOffered, "logger") - Counter(s, x => x.PeerOverflows, "logger") - s.PeerBuffers.Single().Queued;
        await Eventually.HoldsAsync(async () =>
        {
            var first = manager.Snapshot();
            await Task.Delay(200);
            var second = manager.Snapshot();
            return first.PeerBuffers.Single().Queued == capacity && second.PeerBuffers.Single().Queued == capacity && HandedOver(first) == HandedOver(second);
        }, () => Task.FromResult($"queued {manager.Snapshot().PeerBuffers.Single().Queued} of {capacity}, still moving"));
        var stalled = manager.Snapshot();
        long offered = Counter(stalled, s => s.PeerOffered, "logger");
        long overflows = Counter(stalled, s => s.PeerOverflows, "logger");
        int queued = stalled.PeerBuffers.Single().Queued;
        Assert.Equal(warmOffered + stallPublishes, offered); // every publish while peered and subscribed is offered
        Assert.Equal(0, Counter(stalled, s => s.PeerDiscarded, "logger"));
        long handedOver = offered - warmOffered - overflows - queued; // written (or being written) to the stalled connection
        Assert.InRange(handedOver, 1, stallPublishes - capacity);
        Assert.True(overflows > 0, "the stalled buffer never overflowed");

        // The logger dies with unread data (its socket resets): the manager discards exactly what was queued.
        var closing = logger.DisposeAsync().AsTask();
        gate.Set();
        await closing;
        await Eventually.HoldsAsync(() => manager.Snapshot().PeerBuffers.Count == 0, () => "the manager still has a peering to the dead logger");
        // The peering's end reaches the naming layer as an event, a moment after it leaves the stats table.
        await Eventually.HoldsAsync(() => Counter(manager.Snapshot(), s => s.PeerDiscarded, "logger") == queued,
            () => $"discarded {Counter(manager.Snapshot(), s => s.PeerDiscarded, "logger")}, expected the {queued} queued at the close");
        var down = manager.Snapshot();
        Assert.Equal(offered, Counter(down, s => s.PeerOffered, "logger"));
        Assert.Equal(overflows, Counter(down, s => s.PeerOverflows, "logger"));
        Assert.InRange(Volatile.Read(ref stallReceived), 1, handedOver); // delivered: at most what was handed over

        // Published while the logger is down: no peering, so not addressed to it; its counters do not move.
        for (int i = 0; i < 500; i++) manager.Endpoint.Publish("stall/x", Payload);
        var stillDown = manager.Snapshot();
        Assert.Equal(offered, Counter(stillDown, s => s.PeerOffered, "logger"));
        Assert.Equal(overflows, Counter(stillDown, s => s.PeerOverflows, "logger"));
        Assert.Equal(queued, Counter(stillDown, s => s.PeerDiscarded, "logger"));

        // The logger restarts (new endpoint id) and reads normally: counters continue from their totals and every
        // message offered to the new peering is delivered.
        int received = 0;
        await using var restarted = new TestNode("logger", new EndpointOptions { SocketBufferBytes = 4096 });
        restarted.Endpoint.Subscribe("after/", (_, _) => Interlocked.Increment(ref received));
        Assert.True(manager.Endpoint.Unpeer("127.0.0.1", logger.Port));
        manager.Dial(restarted);
        await manager.WaitForNamedPeersAsync("logger");
        await Eventually.HoldsAsync(() =>
        {
            manager.Endpoint.Publish("after/x", Payload);
            return Volatile.Read(ref received) > 0;
        }, () => "the restarted logger received nothing");
        await Eventually.HoldsAsync(() => Counter(manager.Snapshot(), s => s.PeerOffered, "logger") == offered + Volatile.Read(ref received),
            () => $"offered {Counter(manager.Snapshot(), s => s.PeerOffered, "logger")}, expected {offered} + {received} delivered");
        const int afterPublishes = 100;
        for (int i = 0; i < afterPublishes; i++)
        {
            // One at a time: a healthy reader, no overflow.
            int expected = Volatile.Read(ref received) + 1;
            manager.Endpoint.Publish("after/x", Payload);
            await Eventually.HoldsAsync(() => Volatile.Read(ref received) == expected, () => $"received {received}, expected {expected}");
        }
        await Eventually.HoldsAsync(() => Counter(manager.Snapshot(), s => s.PeerOffered, "logger") == offered + Volatile.Read(ref received),
            () => $"offered {Counter(manager.Snapshot(), s => s.PeerOffered, "logger")}, expected {offered} + {received} delivered");
        var after = manager.Snapshot();
        Assert.Equal(overflows, Counter(after, s => s.PeerOverflows, "logger"));
        Assert.Equal(queued, Counter(after, s => s.PeerDiscarded, "logger"));
        Assert.Equal(0, after.PeerBuffers.Single().Queued);
    }
}
