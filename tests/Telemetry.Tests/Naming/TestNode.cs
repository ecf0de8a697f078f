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

    public Task WaitForNamedPeersAsync(params string[] names) =>
        Eventually.HoldsAsync(() => NamedPeers().SequenceEqual(names.Order()),
            () => $"{Name}: expected named peers [{string.Join(", ", names.Order())}], have [{string.Join(", ", NamedPeers())}]");

    private string[] NamedPeers() => Snapshot().PeerBuffers.Select(p => p.Peer).Order().ToArray();

    public async ValueTask DisposeAsync()
    {
        Telemetry.Dispose();
        await Endpoint.DisposeAsync();
    }
}
