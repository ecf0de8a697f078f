using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Spillway.Node.Hosting;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Tests.Hosting;

/// <summary>The demo manager's <c>spillway/control</c> traffic (5 msgs/s, less than one per 100 ms tick) is really published.</summary>
public sealed class ControlWorkloadTests
{
    [Fact]
    public async Task The_manager_workload_publishes_the_control_topic()
    {
        var ports = FreePorts.Reserve(3);
        var layout = new ClusterLayout(
        [
            new NodeSpec
            {
                Name = "manager", Role = NodeRole.Manager, Host = "127.0.0.1",
                PeeringPort = ports[0], MetricsPort = ports[1], WebSocketPort = ports[2],
            },
        ], tls: TlsLayout.Off);
        await using var host = await NodeHost.StartAsync(layout, layout.Get("manager"), new NodeHostOptions { Workload = true },
            NullLoggerFactory.Instance, CancellationToken.None);

        using var socket = new ClientWebSocket();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{ports[2]}/v1/messages/json"), deadline.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("[\"spillway/control\"]"), WebSocketMessageType.Text, true, deadline.Token);

        var topics = new List<string>();
        var buffer = new byte[64 * 1024];
        while (topics.Count < 5)
        {
            var result = await socket.ReceiveAsync(buffer, deadline.Token);
            Assert.True(result.EndOfMessage, "one frame per message expected for these small messages");
            using var doc = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            if (doc.RootElement.GetProperty("type").GetString() == "data-message")
                topics.Add(doc.RootElement.GetProperty("topic").GetString()!);
        }
        Assert.Equal(Enumerable.Repeat("spillway/control", 5), topics);
    }
}
