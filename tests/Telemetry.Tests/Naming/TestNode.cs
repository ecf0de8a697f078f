using System.Net;
using Microsoft.Extensions.Logging;
using Spillway.Engine.Peering;
using Spillway.Telemetry.Export;
using Spillway.Telemetry.Naming;

namespace Spillway.Telemetry.Tests.Naming;

/// <summary>A real endpoint on loopback with its naming layer, as a node runs it (minus HTTP).</summary>
public sealed class TestNode : IAsyncDisposable
{
    public static readonly string[] LayoutNames = ["manager", "logger", "proxy-1", "worker-1", "worker-2"];

    public TestNode(string name, EndpointOptions? options = null, ILoggerFactory? logs = null)
    {
        Name = name;
        Endpoint = new SpillwayEndpoint(options, logs);
        Telemetry = new NodeTelemetry(Endpoint, name, LayoutNames, (logs ?? LoggerFactory.Create(_ => { })).CreateLogger(name));
        Port = Endpoint.Listen(IPAddress.Loopback, 0);
    }

    public string Name { get; }
    public SpillwayEndpoint Endpoint { get; }
    public NodeTelemetry Telemetry { get; }
    public int Port { get; }

    public void Dial(TestNode other) => Endpoint.Peer("127.0.0.1", other.Port);

    public TelemetrySnapshot Snapshot()
    {
        var snapshot = new TelemetrySnapshot();
        Telemetry.Fill(snapshot);
        return snapshot;
    }

    public async Task WaitForNamedPeersAsync(params string[] names)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var named = Snapshot().PeerBuffers.Select(p => p.Peer).Order().ToArray();
            if (named.SequenceEqual(names.Order())) return;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{Name}: expected named peers [{string.Join(", ", names)}], have [{string.Join(", ", named)}]");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Telemetry.Dispose();
        await Endpoint.DisposeAsync();
    }
}
