using System.Net;
using System.Net.Sockets;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Engine.Wire;
using Spillway.Telemetry.Naming;

namespace Spillway.Telemetry.Tests.Naming;

/// <summary>A restarted node gets its name back even when its old peering has not been seen dead yet.</summary>
public class NameHealingTests
{
    [Fact]
    public async Task A_claim_refused_while_a_silent_holder_looks_alive_succeeds_once_the_holder_times_out()
    {
        var logs = new RecordingLoggerProvider();
        await using var manager = new TestNode("manager", logs: logs.CreateFactory());

        // The "old worker-1": it peered and said its name, then fell silent without closing (a frozen or cut-off process).
        using var old = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await old.ConnectAsync(IPAddress.Loopback, manager.Port);
        var oldId = EndpointId.NewRandom();
        await old.SendAsync(FrameCodec.EncodeHello(oldId, []));
        await old.SendAsync(FrameCodec.EncodeData(HelloMessage.TopicFor(manager.Endpoint.Id), HelloMessage.Create("worker-1", oldId)));
        await manager.WaitForNamedPeersAsync("worker-1");
        Assert.Equal("worker-1", manager.Telemetry.NameOf(oldId));

        // The "restarted worker-1" peers before the old peering is known to be dead: refused at first, named after.
        await using var worker = new TestNode("worker-1");
        worker.Dial(manager);
        await Eventually.HoldsAsync(() => logs.Lines.Any(l => l.Contains("'worker-1' is already held by")), () => string.Join("\n", logs.Lines));
        await Eventually.HoldsAsync(() => manager.Telemetry.NameOf(worker.Endpoint.Id) == "worker-1", () => string.Join("\n", logs.Lines));
        Assert.Contains(logs.Lines, l => l.Contains($"Lost peering with {oldId}") && l.Contains("heartbeat timeout"));
        Assert.Single(manager.Endpoint.Peers);
        Assert.Single(manager.Snapshot().PeerBuffers, p => p.Peer == "worker-1");
        // And the restarted node learns that it is named: the manager acknowledged its hello.
        await Eventually.HoldsAsync(() => worker.Telemetry.NameOf(manager.Endpoint.Id) == "manager", () => "manager unnamed on the worker");
    }

    [Fact]
    public async Task A_hello_is_repeated_until_acknowledged()
    {
        var logs = new RecordingLoggerProvider();
        await using var worker = new TestNode("worker-1", logs: logs.CreateFactory());
        // A peer that records hellos but never acknowledges them (as if every acknowledgement were lost).
        await using var silentManager = new SpillwayEndpoint();
        var hellos = 0;
        silentManager.Subscribe(HelloMessage.TopicFor(silentManager.Id), (_, _) => Interlocked.Increment(ref hellos));
        var port = silentManager.Listen(IPAddress.Loopback, 0);
        worker.Endpoint.Peer("127.0.0.1", port);
        await Eventually.HoldsAsync(() => Volatile.Read(ref hellos) >= 3, () => $"{hellos} hellos received");

        // Once acknowledged, the repeats stop.
        silentManager.Publish(HelloMessage.AckTopicFor(worker.Endpoint.Id), HelloMessage.Create("manager", silentManager.Id));
        await Eventually.HoldsAsync(() => logs.Lines.Any(l => l.Contains("manager (127.0.0.1:") && l.Contains("has named us")), () => string.Join("\n", logs.Lines));
        var settled = Volatile.Read(ref hellos);
        // Bounded by a count, not a sleep: a fresh round trip of messages proves the worker's queue has moved on.
        for (var round = 0; round < 3; round++)
        {
            var marker = $"t/{round}";
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var sub = silentManager.Subscribe(marker, (_, _) => seen.TrySetResult());
            await Eventually.HoldsAsync(() => worker.Endpoint.Publish(marker, Value.Of(1L)) == 1, () => "no subscription yet");
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.InRange(Volatile.Read(ref hellos), settled, settled + 1); // at most one repeat already in flight
    }
}
