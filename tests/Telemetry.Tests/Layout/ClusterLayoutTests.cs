using Spillway.Engine.Buffers;
using Spillway.Engine.Peering;
using Spillway.Telemetry.Layout;

namespace Spillway.Telemetry.Tests.Layout;

public class ClusterLayoutTests
{
    private static string[] Names(IEnumerable<NodeSpec> nodes) => nodes.Select(n => n.Name).ToArray();

    [Theory]
    [InlineData("manager", new[] { "logger" })]
    [InlineData("logger", new string[0])]
    [InlineData("proxy-1", new[] { "manager", "logger" })]
    [InlineData("worker-1", new[] { "manager", "logger", "proxy-1" })]
    [InlineData("worker-2", new[] { "manager", "logger", "proxy-1" })]
    public void DialTargets_follow_the_roles(string node, string[] expected)
    {
        var demo = DemoLayout.Create();
        Assert.Equal(expected, Names(demo.DialTargets(demo.Get(node))));
    }

    [Fact]
    public void Every_demo_peering_is_dialed_by_exactly_one_side_except_between_workers()
    {
        var demo = DemoLayout.Create();
        var pairs = new List<string>();
        foreach (var a in demo.Nodes)
        {
            foreach (var b in demo.Nodes.Where(b => string.CompareOrdinal(a.Name, b.Name) < 0))
            {
                bool ab = demo.DialTargets(a).Contains(b);
                bool ba = demo.DialTargets(b).Contains(a);
                Assert.False(ab && ba, $"{a.Name} and {b.Name} dial each other");
                if (ab || ba) pairs.Add($"{a.Name}-{b.Name}");
            }
        }
        Assert.Equal(
            ["logger-manager", "logger-proxy-1", "logger-worker-1", "logger-worker-2", "manager-proxy-1",
             "manager-worker-1", "manager-worker-2", "proxy-1-worker-1", "proxy-1-worker-2"],
            pairs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DialTargets_keep_layout_order_with_several_of_a_role()
    {
        var layout = LayoutLoader.Parse("""
            { "nodes": [
              { "name": "w", "role": "worker", "host": "h", "peering_port": 1, "metrics_port": 2 },
              { "name": "p2", "role": "proxy", "host": "h", "peering_port": 3, "metrics_port": 4 },
              { "name": "l1", "role": "logger", "host": "h", "peering_port": 5, "metrics_port": 6 },
              { "name": "m", "role": "manager", "host": "h", "peering_port": 7, "metrics_port": 8 },
              { "name": "l2", "role": "logger", "host": "h", "peering_port": 9, "metrics_port": 10 },
              { "name": "p1", "role": "proxy", "host": "h", "peering_port": 11, "metrics_port": 12 }
            ] }
            """, "order.json");
        Assert.Equal(["p2", "l1", "m", "l2", "p1"], Names(layout.DialTargets(layout.Get("w"))));
        Assert.Equal(["l1", "m", "l2"], Names(layout.DialTargets(layout.Get("p1"))));
        Assert.Equal(["l1", "l2"], Names(layout.DialTargets(layout.Get("m"))));
        Assert.Empty(layout.DialTargets(layout.Get("l2")));
    }

    [Fact]
    public void ToEndpointOptions_maps_the_demo_logger()
    {
        var demo = DemoLayout.Create();
        var expected = new EndpointOptions
        {
            PeerBufferSize = 1000,
            PeerOverflowPolicy = OverflowPolicy.DropOldest,
            WebSocketBufferSize = 8192,
            WebSocketOverflowPolicy = OverflowPolicy.DropOldest,
            StatsResetInterval = TimeSpan.FromMinutes(1),
            InboundMessagesPerSecond = 300,
            SocketBufferBytes = 8192,
        };
        Assert.Equal(expected, demo.ToEndpointOptions(demo.Get("logger")));
        Assert.Equal(expected with { InboundMessagesPerSecond = 0 }, demo.ToEndpointOptions(demo.Get("worker-1")));
    }

    [Fact]
    public void ToEndpointOptions_maps_merged_overrides_and_keeps_other_engine_defaults()
    {
        var layout = LayoutLoader.Parse(LayoutTestData.Valid, LayoutTestData.Source);
        var options = layout.ToEndpointOptions(layout.Get("worker-1"));
        Assert.Equal(7, options.PeerBufferSize);
        Assert.Equal(OverflowPolicy.DropNewest, options.PeerOverflowPolicy);
        Assert.Equal(8192, options.WebSocketBufferSize);
        Assert.Equal(OverflowPolicy.Disconnect, options.WebSocketOverflowPolicy);
        Assert.Equal(TimeSpan.FromSeconds(10), options.StatsResetInterval);
        Assert.Equal(5, options.InboundMessagesPerSecond);
        Assert.Equal(4096, options.SocketBufferBytes);
        var defaults = new EndpointOptions();
        Assert.Equal(defaults.RetryInterval, options.RetryInterval);
        Assert.Equal(defaults.HandshakeTimeout, options.HandshakeTimeout);
        Assert.Equal(defaults.MaxFrameSize, options.MaxFrameSize);
        Assert.Equal(defaults.DrainBatchSize, options.DrainBatchSize);
        options.Validate();

        var manager = layout.ToEndpointOptions(layout.Get("manager"));
        Assert.Equal(
            new EndpointOptions { PeerBufferSize = 100, PeerOverflowPolicy = OverflowPolicy.DropNewest, StatsResetInterval = TimeSpan.FromSeconds(10) },
            manager);
    }

    [Fact]
    public void Get_and_Contains_match_names_exactly()
    {
        var demo = DemoLayout.Create();
        Assert.Same(demo.Nodes[2], demo.Get("proxy-1"));
        Assert.True(demo.Contains("worker-2"));
        Assert.False(demo.Contains("Worker-2"));
        Assert.False(demo.Contains("worker-3"));
    }

    [Fact]
    public void Get_of_an_unknown_name_names_the_source_and_the_name_option()
    {
        var layout = LayoutLoader.Parse(LayoutTestData.Valid, "cluster.json");
        var e = Assert.Throws<LayoutException>(() => layout.Get("worker-9"));
        Assert.Equal("cluster.json: --name: no node named 'worker-9' in the layout (nodes: manager, worker-1)", e.Message);
        Assert.Equal("cluster.json", e.Source);
        Assert.Equal("--name", e.Field);
    }

    [Fact]
    public void WithPortOffset_shifts_every_port_and_nothing_else()
    {
        var demo = DemoLayout.Create();
        var shifted = demo.WithPortOffset(30000);
        Assert.Equal([39201, 39202, 39203, 39204, 39205], shifted.Nodes.Select(n => n.PeeringPort));
        Assert.Equal([39101, 39102, 39103, 39104, 39105], shifted.Nodes.Select(n => n.MetricsPort));
        Assert.Equal([39301, null, null, null, null], shifted.Nodes.Select(n => n.WebSocketPort));
        for (int i = 0; i < demo.Nodes.Count; i++)
        {
            Assert.Equal(demo.Nodes[i],
                shifted.Nodes[i] with { PeeringPort = demo.Nodes[i].PeeringPort, MetricsPort = demo.Nodes[i].MetricsPort, WebSocketPort = demo.Nodes[i].WebSocketPort });
        }
        Assert.Equal(demo.Buffers, shifted.Buffers);
        Assert.Equal(9201, demo.Nodes[0].PeeringPort); // original untouched
        Assert.Equal(demo, shifted.WithPortOffset(-30000));
        Assert.NotEqual(demo, shifted);
    }

    [Fact]
    public void WithPortOffset_refuses_ports_outside_the_valid_range()
    {
        var demo = DemoLayout.Create();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => demo.WithPortOffset(60000));
        Assert.StartsWith("shifting nodes[0].peering_port (9201) by 60000 leaves 1..65535", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => demo.WithPortOffset(-9101));
        Assert.Equal(1, demo.WithPortOffset(-9100).Get("manager").MetricsPort);
        Assert.Equal(65535, demo.WithPortOffset(65535 - 9301).Get("manager").WebSocketPort);
    }

    [Fact]
    public void Constructor_validates_layouts_built_in_code()
    {
        var node = DemoLayout.Create().Nodes[0];
        var duplicate = Assert.Throws<LayoutException>(() => new ClusterLayout([node, node with { PeeringPort = 1, MetricsPort = 2, WebSocketPort = null }]));
        Assert.Equal("<layout>: nodes[1].name: duplicate name 'manager' (also nodes[0].name)", duplicate.Message);

        var size = Assert.Throws<LayoutException>(() => new ClusterLayout([node with { Buffers = new BufferSettings { WebSocketBufferSize = 0 } }], source: "code"));
        Assert.Equal("code: nodes[0].buffers.websocket_buffer_size: must be at least 1, got 0", size.Message);

        var cluster = Assert.Throws<LayoutException>(() => new ClusterLayout([node], new BufferSettings { StatsResetInterval = TimeSpan.Zero }));
        Assert.Equal("<layout>: buffers.stats_reset_interval: duration must be positive, got 00:00:00", cluster.Message);

        var fraction = Assert.Throws<LayoutException>(() => new ClusterLayout([node with { Buffers = new BufferSettings { StatsResetInterval = TimeSpan.FromTicks(15_000) } }]));
        Assert.Equal("<layout>: nodes[0].buffers.stats_reset_interval: duration must be a whole number of milliseconds, got 00:00:00.0015000", fraction.Message);

        var policy = Assert.Throws<LayoutException>(() => new ClusterLayout([node with { Buffers = new BufferSettings { PeerOverflowPolicy = (OverflowPolicy)9 } }]));
        Assert.Equal("<layout>: nodes[0].buffers.peer_overflow_policy: unknown overflow policy '9' (expected disconnect, drop_oldest or drop_newest)", policy.Message);

        var role = Assert.Throws<LayoutException>(() => new ClusterLayout([node with { Role = (NodeRole)7 }]));
        Assert.Equal("<layout>: nodes[0].role: unknown role '7' (expected manager, logger, proxy or worker)", role.Message);

        var port = Assert.Throws<LayoutException>(() => new ClusterLayout([node with { WebSocketPort = 70000 }]));
        Assert.Equal("<layout>: nodes[0].websocket_port: port 70000 is outside 1..65535", port.Message);
    }

    [Fact]
    public void Equality_ignores_the_source_but_not_the_cluster_buffers()
    {
        var a = LayoutLoader.Parse(LayoutTestData.Valid, "a.json");
        var b = LayoutLoader.Parse(LayoutTestData.Valid, "b.json");
        Assert.Equal(a, b);
        var c = new ClusterLayout(a.Nodes, a.Buffers with { WebSocketBufferSize = 5 });
        Assert.NotEqual(a, c);
    }
}
