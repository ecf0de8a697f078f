using Microsoft.Extensions.Logging.Abstractions;
using Spillway.Engine.Data;
using Spillway.Node.Hosting;
using Spillway.Telemetry.Export;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Tests.Adversarial;

/// <summary>
/// A real manager (the target: budgets from <c>limits</c>, WebSocket API) and a real worker peered with it, on free
/// loopback ports. <see cref="AssertStillServingAsync"/> is what every attack must leave intact.
/// </summary>
internal sealed class AdversarialCluster : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private NodeHost? _manager;
    private NodeHost? _worker;
    private long _delivered;
    private int _rounds;

    public AdversarialCluster(LimitSettings limits, BufferSettings? buffers = null)
    {
        var ports = FreePorts.Reserve(5);
        Layout = new ClusterLayout(
        [
            new NodeSpec { Name = "manager", Role = NodeRole.Manager, Host = "127.0.0.1", PeeringPort = ports[0], MetricsPort = ports[1],
                WebSocketPort = ports[2], Limits = limits, Buffers = buffers ?? BufferSettings.Default },
            new NodeSpec { Name = "worker-1", Role = NodeRole.Worker, Host = "127.0.0.1", PeeringPort = ports[3], MetricsPort = ports[4] },
        ], tls: TlsLayout.Off); // the budgets must hold where nothing else filters strangers: plaintext, the explicit opt-out
    }

    public ClusterLayout Layout { get; }
    public NodeHost Manager => _manager!;
    public NodeHost Worker => _worker!;
    public int PeeringPort => Layout.Get("manager").PeeringPort;
    public Uri WebSocketUri => new($"ws://127.0.0.1:{Layout.Get("manager").WebSocketPort}/v1/messages/json");

    public async Task StartAsync()
    {
        _manager = await NodeHost.StartAsync(Layout, Layout.Get("manager"), new NodeHostOptions(), NullLoggerFactory.Instance, CancellationToken.None);
        _worker = await NodeHost.StartAsync(Layout, Layout.Get("worker-1"), new NodeHostOptions(), NullLoggerFactory.Instance, CancellationToken.None);
        Manager.Endpoint.Subscribe("adv/", (topic, _) => { if (topic == "adv/data") Interlocked.Increment(ref _delivered); });
        await EventuallyAsync(() => Task.FromResult(Worker.Endpoint.Publish("adv/probe", Value.None) == 1),
            () => Task.FromResult("the worker never peered with the manager or never learned its subscription"));
    }

    public async Task<PrometheusText.Exposition> ScrapeAsync() =>
        PrometheusText.Parse(await _http.GetStringAsync($"http://127.0.0.1:{Layout.Get("manager").MetricsPort}/metrics"));

    public async Task<double?> RefusedAsync(string reason) =>
        (await ScrapeAsync()).Value(MetricNames.ConnectionsRefusedTotal, ("node", "manager"), ("reason", reason));

    /// <summary>/metrics answers and the worker's next 100 messages all reach the manager.</summary>
    public async Task AssertStillServingAsync()
    {
        var scrape = await ScrapeAsync();
        Assert.NotNull(scrape.Value(MetricNames.ConnectionsRefusedTotal, ("node", "manager"), ("reason", "frame_size")));
        var expected = 100L * ++_rounds;
        for (var i = 0; i < 100; i++) Assert.Equal(1, Worker.Endpoint.Publish("adv/data", Value.Of(i)));
        await EventuallyAsync(() => Task.FromResult(Interlocked.Read(ref _delivered) == expected),
            () => Task.FromResult($"{Interlocked.Read(ref _delivered)} of {expected} of the worker's messages reached the manager"));
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, Func<Task<string>> describe, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not reached within {seconds} s: {await describe()}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null) await _worker.DisposeAsync();
        if (_manager is not null) await _manager.DisposeAsync();
        _http.Dispose();
    }
}
