using Spillway.Engine.Buffers;
using Spillway.Telemetry.Layout;

namespace Spillway.Telemetry.Tests.Layout;

public class LayoutLoaderTests
{
    [Fact]
    public void Parse_reads_every_field_and_merges_buffers_node_over_cluster_over_defaults()
    {
        var layout = LayoutLoader.Parse(LayoutTestData.Valid, LayoutTestData.Source);
        var cluster = new BufferSettings
        {
            PeerBufferSize = 100,
            PeerOverflowPolicy = OverflowPolicy.DropNewest,
            WebSocketBufferSize = 8192,
            WebSocketOverflowPolicy = OverflowPolicy.DropOldest,
            StatsResetInterval = TimeSpan.FromSeconds(10),
        };
        Assert.Equal(cluster, layout.Buffers);
        Assert.Equal(LayoutTestData.Source, layout.Source);
        Assert.Equal(
            [
                new NodeSpec
                {
                    Name = "manager", Role = NodeRole.Manager, Host = "10.0.0.1", PeeringPort = 9201, MetricsPort = 9101,
                    WebSocketPort = 9301, InboundMessagesPerSecond = 0, SocketBufferBytes = 0, Buffers = cluster,
                },
                new NodeSpec
                {
                    Name = "worker-1", Role = NodeRole.Worker, Host = "10.0.0.2", PeeringPort = 9202, MetricsPort = 9102,
                    WebSocketPort = null, InboundMessagesPerSecond = 5, SocketBufferBytes = 4096,
                    Buffers = cluster with { PeerBufferSize = 7, WebSocketOverflowPolicy = OverflowPolicy.Disconnect },
                },
            ],
            layout.Nodes);
    }

    [Fact]
    public void Without_buffers_the_design_defaults_apply()
    {
        var layout = LayoutLoader.Parse("""{ "nodes": [ { "name": "l", "role": "logger", "host": "h", "peering_port": 1, "metrics_port": 2 } ] }""", "min.json");
        var expected = new BufferSettings
        {
            PeerBufferSize = 8192,
            PeerOverflowPolicy = OverflowPolicy.DropOldest,
            WebSocketBufferSize = 8192,
            WebSocketOverflowPolicy = OverflowPolicy.DropOldest,
            StatsResetInterval = TimeSpan.FromMinutes(1),
        };
        Assert.Equal(expected, BufferSettings.Default);
        Assert.Equal(expected, layout.Buffers);
        Assert.Equal(expected, layout.Nodes[0].Buffers);
        Assert.Null(layout.Nodes[0].WebSocketPort);
        Assert.Equal(0, layout.Nodes[0].InboundMessagesPerSecond);
        Assert.Equal(0, layout.Nodes[0].SocketBufferBytes);
    }

    [Fact]
    public void Every_role_and_policy_spelling_is_accepted()
    {
        var layout = LayoutLoader.Parse("""
            { "nodes": [
              { "name": "a", "role": "manager", "host": "h", "peering_port": 1, "metrics_port": 2, "buffers": { "peer_overflow_policy": "disconnect" } },
              { "name": "b", "role": "logger", "host": "h", "peering_port": 3, "metrics_port": 4, "buffers": { "peer_overflow_policy": "drop_oldest" } },
              { "name": "c", "role": "proxy", "host": "h", "peering_port": 5, "metrics_port": 6, "buffers": { "peer_overflow_policy": "drop_newest" } },
              { "name": "d", "role": "worker", "host": "h", "peering_port": 7, "metrics_port": 8 }
            ] }
            """, "roles.json");
        Assert.Equal([NodeRole.Manager, NodeRole.Logger, NodeRole.Proxy, NodeRole.Worker], layout.Nodes.Select(n => n.Role));
        Assert.Equal(
            [OverflowPolicy.Disconnect, OverflowPolicy.DropOldest, OverflowPolicy.DropNewest, OverflowPolicy.DropOldest],
            layout.Nodes.Select(n => n.Buffers.PeerOverflowPolicy));
    }

    [Fact]
    public void Comments_are_allowed()
    {
        var layout = LayoutLoader.Parse("""
            // the smallest cluster
            { "nodes": [ { "name": "l", "role": "logger", /* inline */ "host": "h", "peering_port": 1, "metrics_port": 2 } ] }
            """, "c.json");
        Assert.Equal("l", layout.Nodes.Single().Name);
    }

    [Fact]
    public void Names_of_64_characters_from_the_allowed_set_are_accepted()
    {
        string name = "Aa0._-" + new string('z', 58);
        var layout = LayoutLoader.Parse(LayoutTestData.Edit(("\"name\": \"worker-1\"", $"\"name\": \"{name}\"")), LayoutTestData.Source);
        Assert.Equal(name, layout.Nodes[1].Name);
    }

    [Fact]
    public void The_same_port_on_different_hosts_is_fine()
    {
        var layout = LayoutLoader.Parse(LayoutTestData.Edit(("\"peering_port\": 9202", "\"peering_port\": 9201")), LayoutTestData.Source);
        Assert.Equal(9201, layout.Nodes[1].PeeringPort);
    }

    [Fact]
    public void Round_trip_of_the_demo_is_equal()
    {
        var demo = DemoLayout.Create();
        string json = demo.ToJson();
        var parsed = LayoutLoader.Parse(json, "demo.json");
        Assert.Equal(demo, parsed);
        Assert.Equal(demo.Nodes, parsed.Nodes);
        Assert.Equal(json, parsed.ToJson());
    }

    [Fact]
    public void Round_trip_keeps_node_overrides_and_optional_fields()
    {
        var layout = LayoutLoader.Parse(LayoutTestData.Valid, LayoutTestData.Source);
        var parsed = LayoutLoader.Parse(layout.ToJson(), "again.json");
        Assert.Equal(layout, parsed);
        Assert.Equal(layout.Nodes, parsed.Nodes);
        Assert.Equal(layout.Buffers, parsed.Buffers);
    }

    [Fact]
    public void Round_trip_of_a_layout_built_in_code_with_every_duration_unit()
    {
        TimeSpan[] intervals = [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), TimeSpan.FromHours(2), TimeSpan.FromMilliseconds(61_001)];
        var nodes = intervals.Select((interval, i) => new NodeSpec
        {
            Name = $"w{i}", Role = NodeRole.Worker, Host = "h", PeeringPort = 100 + i, MetricsPort = 200 + i,
            Buffers = new BufferSettings { StatsResetInterval = interval, WebSocketOverflowPolicy = OverflowPolicy.DropNewest },
        });
        var layout = new ClusterLayout(nodes, new BufferSettings { PeerBufferSize = 3 });
        Assert.Equal(layout, LayoutLoader.Parse(layout.ToJson(), "code.json"));
    }

    [Fact]
    public void ToJson_writes_the_file_schema()
    {
        var layout = LayoutLoader.Parse(LayoutTestData.Valid, LayoutTestData.Source);
        Assert.Equal("""
            {
              "buffers": {
                "peer_buffer_size": 100,
                "peer_overflow_policy": "drop_newest",
                "websocket_buffer_size": 8192,
                "websocket_overflow_policy": "drop_oldest",
                "stats_reset_interval": "10s"
              },
              "nodes": [
                {
                  "name": "manager",
                  "role": "manager",
                  "host": "10.0.0.1",
                  "peering_port": 9201,
                  "metrics_port": 9101,
                  "websocket_port": 9301
                },
                {
                  "name": "worker-1",
                  "role": "worker",
                  "host": "10.0.0.2",
                  "peering_port": 9202,
                  "metrics_port": 9102,
                  "inbound_messages_per_second": 5,
                  "socket_buffer_bytes": 4096,
                  "buffers": {
                    "peer_buffer_size": 7,
                    "websocket_overflow_policy": "disconnect"
                  }
                }
              ]
            }

            """, layout.ToJson());
    }

    [Fact]
    public void Load_reads_a_file_and_names_it_in_errors()
    {
        string dir = Directory.CreateTempSubdirectory("spillway-layout-").FullName;
        try
        {
            string good = Path.Combine(dir, "good.json");
            File.WriteAllText(good, DemoLayout.Create().ToJson());
            var layout = LayoutLoader.Load(good);
            Assert.Equal(DemoLayout.Create(), layout);
            Assert.Equal(good, layout.Source);

            string bad = Path.Combine(dir, "bad.json");
            File.WriteAllText(bad, LayoutTestData.Edit(("\"role\": \"worker\"", "\"role\": \"workers\"")));
            var e = Assert.Throws<LayoutException>(() => LayoutLoader.Load(bad));
            Assert.Equal($"{bad}: nodes[1].role: unknown role 'workers' (expected manager, logger, proxy or worker)", e.Message);
            Assert.Equal(bad, e.Source);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
