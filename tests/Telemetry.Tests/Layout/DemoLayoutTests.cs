using Spillway.Engine.Buffers;
using Spillway.Telemetry.Layout;

namespace Spillway.Telemetry.Tests.Layout;

public class DemoLayoutTests
{
    private static readonly BufferSettings DemoBuffers = new()
    {
        PeerBufferSize = 1000,
        PeerOverflowPolicy = OverflowPolicy.DropOldest,
        WebSocketBufferSize = 8192,
        WebSocketOverflowPolicy = OverflowPolicy.DropOldest,
        StatsResetInterval = TimeSpan.FromMinutes(1),
    };

    private static NodeSpec Node(string name, NodeRole role, int index, int? ws = null, int inbound = 0) => new()
    {
        Name = name,
        Role = role,
        Host = "127.0.0.1",
        PeeringPort = 9201 + index,
        MetricsPort = 9101 + index,
        WebSocketPort = ws,
        InboundMessagesPerSecond = inbound,
        SocketBufferBytes = 8192,
        Buffers = DemoBuffers,
    };

    internal static readonly NodeSpec[] ExpectedNodes =
    [
        Node("manager", NodeRole.Manager, 0, ws: 9301),
        Node("logger", NodeRole.Logger, 1, inbound: 300),
        Node("proxy-1", NodeRole.Proxy, 2),
        Node("worker-1", NodeRole.Worker, 3),
        Node("worker-2", NodeRole.Worker, 4),
    ];

    [Fact]
    public void Demo_has_the_documented_nodes_ports_and_buffers()
    {
        var demo = DemoLayout.Create();
        Assert.Equal(ExpectedNodes, demo.Nodes);
        Assert.Equal(DemoBuffers, demo.Buffers);
        Assert.Equal("<demo>", demo.Source);
    }

    [Fact]
    public void Demo_spells_out_the_values_field_by_field()
    {
        var logger = DemoLayout.Create().Get("logger");
        Assert.Equal("logger", logger.Name);
        Assert.Equal(NodeRole.Logger, logger.Role);
        Assert.Equal("127.0.0.1", logger.Host);
        Assert.Equal(9202, logger.PeeringPort);
        Assert.Equal(9102, logger.MetricsPort);
        Assert.Null(logger.WebSocketPort);
        Assert.Equal(300, logger.InboundMessagesPerSecond);
        Assert.Equal(8192, logger.SocketBufferBytes);
        Assert.Equal(1000, logger.Buffers.PeerBufferSize);
        Assert.Equal(OverflowPolicy.DropOldest, logger.Buffers.PeerOverflowPolicy);
        Assert.Equal(TimeSpan.FromMinutes(1), logger.Buffers.StatsResetInterval);
        Assert.Equal(9301, DemoLayout.Create().Get("manager").WebSocketPort);
    }

    [Fact]
    public void Example_file_parses_to_the_demo_layout()
    {
        var example = LayoutLoader.Load(LayoutTestData.ExamplePath);
        Assert.Equal(ExpectedNodes, example.Nodes);
        Assert.Equal(DemoBuffers, example.Buffers);
        Assert.Equal(DemoLayout.Create(), example);
        Assert.Equal(LayoutTestData.ExamplePath, example.Source);
    }

    [Fact]
    public void Example_file_is_what_ToJson_writes_for_the_demo()
    {
        string text = File.ReadAllText(LayoutTestData.ExamplePath).ReplaceLineEndings("\n");
        Assert.Equal(DemoLayout.Create().ToJson(), text);
    }

    [Fact]
    public void Create_returns_equal_independent_copies()
    {
        var a = DemoLayout.Create();
        var b = DemoLayout.Create();
        Assert.NotSame(a, b);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }
}
