using Spillway.Engine.Peering;
using Spillway.Telemetry.Layout;

namespace Spillway.Telemetry.Tests.Layout;

/// <summary>The budgets of a layout: the <c>limits</c> section, the byte bounds of the buffers, the largest sizes accepted.</summary>
public class LayoutLimitsTests
{
    private const string WithLimits = """
        {
          "buffers": { "peer_buffer_size": 268435456, "peer_buffer_bytes": 1048576, "websocket_buffer_bytes": 2097152 },
          "limits": { "max_connections": 50, "max_connections_per_address": 5, "handshake_max_bytes": 4096,
                      "max_frame_size": 65536, "frame_read_timeout": "2s", "max_subscriptions": 100,
                      "websocket_app_labels": 8, "websocket_max_connections": 40, "websocket_max_connections_per_address": 4, "max_local_subscriptions": 300 },
          "nodes": [
            { "name": "manager", "role": "manager", "host": "10.0.0.1", "peering_port": 9201, "metrics_port": 9101 },
            { "name": "worker-1", "role": "worker", "host": "10.0.0.2", "peering_port": 9202, "metrics_port": 9102,
              "buffers": { "websocket_buffer_bytes": 4096 }, "limits": { "max_subscriptions": 7, "frame_read_timeout": "500ms", "max_local_subscriptions": 9, "websocket_app_labels": 0 } }
          ]
        }
        """;

    [Fact]
    public void Limits_and_byte_bounds_reach_the_engine_options_with_node_overrides()
    {
        var layout = LayoutLoader.Parse(WithLimits, "limits.json");
        var manager = layout.ToEndpointOptions(layout.Get("manager"));
        Assert.Equal((268435456, 1048576L, 2097152L), (manager.PeerBufferSize, manager.PeerBufferBytes, manager.WebSocketBufferBytes));
        Assert.Equal((50, 5, 4096, 65536, TimeSpan.FromSeconds(2), 100),
            (manager.MaxConnections, manager.MaxConnectionsPerAddress, manager.HandshakeMaxBytes, manager.MaxFrameSize,
             manager.FrameReadTimeout, manager.MaxSubscriptions));
        Assert.Equal((40, 4, 300), (manager.WebSocketMaxConnections, manager.WebSocketMaxConnectionsPerAddress, manager.MaxLocalSubscriptions));
        var worker = layout.ToEndpointOptions(layout.Get("worker-1"));
        Assert.Equal((40, 4, 9), (worker.WebSocketMaxConnections, worker.WebSocketMaxConnectionsPerAddress, worker.MaxLocalSubscriptions));
        Assert.Equal((1048576L, 4096L), (worker.PeerBufferBytes, worker.WebSocketBufferBytes));
        Assert.Equal((50, 7, TimeSpan.FromMilliseconds(500)), (worker.MaxConnections, worker.MaxSubscriptions, worker.FrameReadTimeout));
        manager.Validate();
        worker.Validate();
        // The app label cap is the naming layer's, not the engine's.
        Assert.Equal((8, 0), (layout.Get("manager").Limits.WebSocketAppLabels, layout.Get("worker-1").Limits.WebSocketAppLabels));
    }

    [Fact]
    public void A_layout_with_limits_round_trips_through_ToJson()
    {
        var layout = LayoutLoader.Parse(WithLimits, "limits.json");
        var again = LayoutLoader.Parse(layout.ToJson(), "again.json");
        Assert.Equal(layout, again);
        Assert.Equal(layout.Get("worker-1").Limits, again.Get("worker-1").Limits);
        Assert.Equal(layout.Get("worker-1").Buffers, again.Get("worker-1").Buffers);
    }

    [Fact]
    public void Defaults_are_the_engine_defaults_and_are_not_written()
    {
        var layout = LayoutLoader.Parse(LayoutTestData.Valid, LayoutTestData.Source);
        var options = layout.ToEndpointOptions(layout.Get("manager"));
        var engine = new EndpointOptions();
        Assert.Equal((engine.MaxConnections, engine.MaxConnectionsPerAddress, engine.HandshakeMaxBytes, engine.MaxFrameSize,
                engine.FrameReadTimeout, engine.MaxSubscriptions, engine.PeerBufferBytes, engine.WebSocketBufferBytes),
            (options.MaxConnections, options.MaxConnectionsPerAddress, options.HandshakeMaxBytes, options.MaxFrameSize,
                options.FrameReadTimeout, options.MaxSubscriptions, options.PeerBufferBytes, options.WebSocketBufferBytes));
        Assert.Equal((engine.WebSocketMaxConnections, engine.WebSocketMaxConnectionsPerAddress, engine.MaxLocalSubscriptions),
            (options.WebSocketMaxConnections, options.WebSocketMaxConnectionsPerAddress, options.MaxLocalSubscriptions));
        Assert.Equal(engine.MaxSubscriptions, engine.MaxLocalSubscriptions); // a default node's announcement fits a default peer's budget
        var json = layout.ToJson();
        Assert.DoesNotContain("limits", json);
        Assert.Equal(32, layout.Get("manager").Limits.WebSocketAppLabels);
        Assert.DoesNotContain("_bytes\": 67108864", json);
    }

    [Theory]
    [InlineData("\"peer_buffer_size\": 268435456", "\"peer_buffer_size\": 268435457", "buffers.peer_buffer_size", "must be at most 268435456 (the maximum), got 268435457")]
    [InlineData("\"peer_buffer_size\": 268435456", "\"peer_buffer_size\": 2147483647", "buffers.peer_buffer_size", "must be at most 268435456 (the maximum), got 2147483647")]
    [InlineData("\"websocket_buffer_bytes\": 4096", "\"websocket_buffer_size\": 2147483647", "nodes[1].buffers.websocket_buffer_size", "must be at most 268435456 (the maximum), got 2147483647")]
    [InlineData("\"peer_buffer_bytes\": 1048576", "\"peer_buffer_bytes\": 0", "buffers.peer_buffer_bytes", "must be at least 1, got 0")]
    [InlineData("\"peer_buffer_bytes\": 1048576", "\"peer_buffer_bytes\": 1099511627777", "buffers.peer_buffer_bytes", "must be at most 1099511627776 (the maximum), got 1099511627777")]
    [InlineData("\"max_connections\": 50", "\"max_connections\": 0", "limits.max_connections", "must be at least 1, got 0")]
    [InlineData("\"max_subscriptions\": 7", "\"max_subscriptions\": 1000001", "nodes[1].limits.max_subscriptions", "must be at most 1000000 (the maximum), got 1000001")]
    [InlineData("\"max_frame_size\": 65536", "\"max_frame_size\": 2147483647", "limits.max_frame_size", "must be at most 1073741824 (the maximum), got 2147483647")]
    [InlineData("\"handshake_max_bytes\": 4096", "\"handshake_max_bytes\": 10", "limits.handshake_max_bytes", "must be at least 64, got 10")]
    [InlineData("\"frame_read_timeout\": \"2s\"", "\"frame_read_timeout\": \"0s\"", "limits.frame_read_timeout", "positive")]
    [InlineData("\"max_subscriptions\": 100", "\"max_subscription\": 100", "limits.max_subscription", "unknown property")]
    [InlineData("\"websocket_app_labels\": 8", "\"websocket_app_labels\": 1001", "limits.websocket_app_labels", "must be at most 1000 (the maximum), got 1001")]
    [InlineData("\"websocket_app_labels\": 0", "\"websocket_app_labels\": -1", "nodes[1].limits.websocket_app_labels", "must be at least 0, got -1")]
    [InlineData("\"websocket_app_labels\": 8", "\"websocket_app_labels\": \"8\"", "limits.websocket_app_labels", "expected an integer")]
    [InlineData("\"websocket_max_connections\": 40", "\"websocket_max_connections\": 0", "limits.websocket_max_connections", "must be at least 1, got 0")]
    [InlineData("\"websocket_max_connections_per_address\": 4", "\"websocket_max_connections_per_address\": \"4\"", "limits.websocket_max_connections_per_address", "expected an integer, got")]
    [InlineData("\"max_local_subscriptions\": 9", "\"max_local_subscriptions\": 1000001", "nodes[1].limits.max_local_subscriptions", "must be at most 1000000 (the maximum), got 1000001")]
    public void Sizes_no_machine_can_serve_and_bad_budgets_are_rejected_naming_the_field(string find, string replace, string field, string problem)
    {
        var json = WithLimits;
        Assert.Equal(1, json.Split(find).Length - 1);
        var e = Assert.Throws<LayoutException>(() => LayoutLoader.Parse(json.Replace(find, replace), "limits.json"));
        Assert.StartsWith($"limits.json: {field}: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void The_engine_refuses_what_the_loader_refuses()
    {
        Assert.Throws<ArgumentException>(() => new EndpointOptions { PeerBufferSize = EndpointOptions.MaxBufferSize + 1 }.Validate());
        Assert.Throws<ArgumentException>(() => new EndpointOptions { WebSocketBufferSize = int.MaxValue }.Validate());
        Assert.Throws<ArgumentException>(() => new EndpointOptions { PeerBufferBytes = 0 }.Validate());
        new EndpointOptions { PeerBufferSize = EndpointOptions.MaxBufferSize }.Validate();
    }
}
