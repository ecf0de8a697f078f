using Microsoft.Extensions.Logging;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Telemetry.Export;
using Spillway.Telemetry.Naming;

namespace Spillway.Telemetry.Tests.Naming;

public class NamingTests
{
    [Fact]
    public async Task Three_nodes_name_each_other_and_export_only_named_peers()
    {
        await using var manager = new TestNode("manager");
        await using var logger = new TestNode("logger");
        await using var worker = new TestNode("worker-1");
        manager.Dial(logger);
        worker.Dial(manager);
        worker.Dial(logger);

        await manager.WaitForNamedPeersAsync("logger", "worker-1");
        await logger.WaitForNamedPeersAsync("manager", "worker-1");
        await worker.WaitForNamedPeersAsync("manager", "logger");

        var snapshot = worker.Snapshot();
        Assert.Equal("worker-1", snapshot.NodeName);
        // Recent max 0: hellos and their acknowledgements travel beside the buffer (Endpoint.SendDirect), not in it.
        Assert.Equal([new("logger", 0, 0, 8192), new("manager", 0, 0, 8192)], snapshot.PeerBuffers.OrderBy(p => p.Peer));
        Assert.Equal([new("logger", 0), new("manager", 0)], snapshot.PeerOverflows.OrderBy(p => p.Peer));
        Assert.Equal([new("logger", 0), new("manager", 0)], snapshot.BackpressureDisconnects.OrderBy(p => p.Peer));
        Assert.Equal("logger", worker.Telemetry.NameOf(logger.Endpoint.Id));
    }

    [Fact]
    public async Task Peer_label_bound_is_the_layout_names_plus_unknown()
    {
        await using var node = new TestNode("manager");
        // Four other nodes and "unknown" can be peer labels; counting our own name as well keeps the bound simple.
        Assert.Equal(TestNode.LayoutNames.Length + 1, node.Telemetry.MaxPeerLabelValues);
    }

    [Fact]
    public async Task Bogus_hello_names_leave_the_peer_unnamed_and_the_series_bounded()
    {
        var logs = new RecordingLoggerProvider();
        await using var manager = new TestNode("manager", logs: logs.CreateFactory());
        // An endpoint that speaks the protocol but is no cluster node: it sends hellos by hand. Its buffer holds every
        // one of them: the loop below publishes faster than a drain loop sends on a loaded machine, and the default
        // 8,192 slots then dropped about 1,800 of the 10,004 hellos before they left (8,200 log lines, a flaky failure).
        await using var intruder = new SpillwayEndpoint(new EndpointOptions { PeerBufferSize = 16_384 });
        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        intruder.PeerAdded += (_, _) => added.TrySetResult();
        intruder.Peer("127.0.0.1", manager.Port);
        await added.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var topic = HelloMessage.TopicFor(manager.Endpoint.Id);
        for (var i = 0; i < 10_000; i++)
            intruder.Publish(topic, HelloMessage.Create($"bogus-{i}", intruder.Id));
        intruder.Publish(topic, HelloMessage.Create("evil\"name{x=\"y\"}", intruder.Id)); // label injection attempt
        intruder.Publish(topic, HelloMessage.Create("manager", intruder.Id));              // the node's own name
        intruder.Publish(topic, HelloMessage.Create("logger", manager.Endpoint.Id));       // claims another endpoint id
        intruder.Publish(topic, Value.Of("not a hello"));
        Assert.True(intruder.TryGetPeeringStats(manager.Endpoint.Id, out var sent));
        Assert.Equal(0L, sent.Overflows); // all 10,004 are queued or sent: every one must reach the manager

        await Eventually.HoldsAsync(() => logs.Lines.Count(l => l.Contains("not naming") || l.Contains("ignoring a hello")) >= 10_004,
            () => $"{logs.Lines.Count} log lines");
        Assert.Contains(logs.Lines, l => l.Contains("'bogus-42' is not in the cluster layout"));
        Assert.Contains(logs.Lines, l => l.Contains("has characters outside [A-Za-z0-9._-]"));
        Assert.Contains(logs.Lines, l => l.Contains("'manager' is this node's own name"));
        Assert.Contains(logs.Lines, l => l.Contains("claims endpoint"));
        Assert.Contains(logs.Lines, l => l.Contains("hello is not [name, endpoint id]"));

        var snapshot = manager.Snapshot();
        Assert.Empty(snapshot.PeerBuffers);
        Assert.Empty(snapshot.PeerOverflows);
        Assert.Empty(snapshot.BackpressureDisconnects);
        Assert.Null(manager.Telemetry.NameOf(intruder.Id));

        // A real node still gets its name afterwards, and the series stay bounded by the layout.
        await using var logger = new TestNode("logger");
        manager.Dial(logger);
        await manager.WaitForNamedPeersAsync("logger");
        snapshot = manager.Snapshot();
        var seriesCount = snapshot.PeerBuffers.Count * 3 + snapshot.PeerOverflows.Count + snapshot.BackpressureDisconnects.Count;
        Assert.Equal(5, seriesCount);
        Assert.True(seriesCount <= TestNode.LayoutNames.Length * 5);
    }

    [Fact]
    public async Task A_name_held_by_a_live_peering_is_refused_to_a_second_one()
    {
        var logs = new RecordingLoggerProvider();
        await using var manager = new TestNode("manager", logs: logs.CreateFactory());
        await using var logger = new TestNode("logger");
        manager.Dial(logger);
        await manager.WaitForNamedPeersAsync("logger");

        await using var impostor = new SpillwayEndpoint();
        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        impostor.PeerAdded += (_, _) => added.TrySetResult();
        impostor.Peer("127.0.0.1", manager.Port);
        await added.Task.WaitAsync(TimeSpan.FromSeconds(20));
        impostor.Publish(HelloMessage.TopicFor(manager.Endpoint.Id), HelloMessage.Create("logger", impostor.Id));

        await Eventually.HoldsAsync(() => logs.Lines.Any(l => l.Contains("'logger' is already held by")), () => string.Join("\n", logs.Lines));
        Assert.Equal("logger", manager.Telemetry.NameOf(logger.Endpoint.Id));
        Assert.Null(manager.Telemetry.NameOf(impostor.Id));
        Assert.Single(manager.Snapshot().PeerBuffers);
    }

    [Fact]
    public async Task Overflow_counters_continue_across_restarts_with_new_endpoint_ids_and_gauges_of_gone_peers_vanish()
    {
        var options = new EndpointOptions { PeerBufferSize = 8, PeerOverflowPolicy = OverflowPolicy.DropNewest, SocketBufferBytes = 4096 };
        await using var manager = new TestNode("manager", options);
        long expectedOverflows = 0, expectedOffered = 0;
        var previousId = default(EndpointId);

        for (var round = 0; round < 3; round++)
        {
            // A logger that reads very slowly: the manager's buffer to it overflows.
            var logger = new TestNode("logger", new EndpointOptions { InboundMessagesPerSecond = 50, SocketBufferBytes = 4096 });
            Assert.NotEqual(previousId, logger.Endpoint.Id);
            previousId = logger.Endpoint.Id;
            logger.Endpoint.Subscribe("load/", (_, _) => { });
            manager.Dial(logger);
            await manager.WaitForNamedPeersAsync("logger");
            var before = manager.Snapshot().PeerOverflows.Single(c => c.Peer == "logger").Value;
            Assert.Equal(expectedOverflows, before); // continues from the total, never from zero
            var offeredBefore = manager.Snapshot().PeerOffered.Single(c => c.Peer == "logger").Value;
            Assert.True(offeredBefore >= expectedOffered, $"offered went down: {offeredBefore} < {expectedOffered}");

            var payload = Value.Of(new string('p', 300));
            for (var i = 0; i < 3000; i++) manager.Endpoint.Publish("load/x", payload);
            var row = manager.Endpoint.GetPeeringStats().Rows.Single();
            Assert.True(row.Overflows > 0);
            expectedOverflows += row.Overflows;
            Assert.True(row.Offered >= 3000, $"offered {row.Offered} of 3000 publishes");
            expectedOffered += row.Offered;
            var during = manager.Snapshot();
            Assert.Equal(expectedOverflows, during.PeerOverflows.Single(c => c.Peer == "logger").Value);
            Assert.Equal(expectedOffered, during.PeerOffered.Single(c => c.Peer == "logger").Value);

            // The logger process goes away: its gauges vanish, its counter keeps its total.
            await logger.DisposeAsync();
            await Eventually.HoldsAsync(() => manager.Snapshot().PeerBuffers.Count == 0, () => "gauges of the departed logger are still exported");
            var after = manager.Snapshot();
            Assert.Equal(expectedOverflows, after.PeerOverflows.Single(c => c.Peer == "logger").Value);
            // Offered continues across the re-peering exactly like overflows: the departed peering's final count is kept.
            Assert.Equal(expectedOffered, after.PeerOffered.Single(c => c.Peer == "logger").Value);
            Assert.True(manager.Endpoint.Unpeer("127.0.0.1", logger.Port));
        }
    }

    [Fact]
    public async Task Backpressure_disconnects_count_per_name_and_overflows_never_go_down_after_re_peering()
    {
        var options = new EndpointOptions
        {
            PeerBufferSize = 8, PeerOverflowPolicy = OverflowPolicy.Disconnect, SocketBufferBytes = 4096,
            RetryInterval = TimeSpan.FromMilliseconds(100),
        };
        await using var worker = new TestNode("worker-1", options);
        await using var logger = new TestNode("logger", new EndpointOptions { InboundMessagesPerSecond = 100, SocketBufferBytes = 4096 });
        logger.Endpoint.Subscribe("load/", (_, _) => { });
        var removed = 0;
        worker.Endpoint.PeerRemoved += (_, e) => { if (e.Reason == CloseReason.BackpressureOverflow) Interlocked.Increment(ref removed); };
        worker.Dial(logger);

        long lastOverflows = 0;
        for (var round = 1; round <= 2; round++)
        {
            await worker.WaitForNamedPeersAsync("logger");
            var payload = Value.Of(new string('p', 300));
            for (var i = 0; i < 5000 && Volatile.Read(ref removed) < round; i++) worker.Endpoint.Publish("load/x", payload);
            await Eventually.HoldsAsync(() => worker.Snapshot().BackpressureDisconnects.Single(c => c.Peer == "logger").Value == round,
                () => $"disconnects {string.Join(",", worker.Snapshot().BackpressureDisconnects)}");
            var overflows = worker.Snapshot().PeerOverflows.Single(c => c.Peer == "logger").Value;
            Assert.Equal(round, overflows); // disconnect: at most one overflow per peering, kept across re-peering
            Assert.True(overflows >= lastOverflows);
            lastOverflows = overflows;
        }
    }
}
