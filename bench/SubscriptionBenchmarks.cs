using BenchmarkDotNet.Attributes;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;

namespace Spillway.Bench;

/// <summary>
/// Publish cost against one subscriber holding 10, 1,000 or 100,000 topic prefixes (issue 11: a remote with many
/// prefixes must not make every publish scan them). The subscriber is a client session whose buffer is already full
/// under drop_oldest, so each publish does the match and one push, nothing else; <see cref="Miss"/> publishes a topic
/// no prefix matches (a scan's worst case), <see cref="Hit"/> one only the last prefix in order matches. Compare each
/// row against the 10-prefix row of the same method: the target is 100,000 within 2x of 10. <see cref="LocalMiss"/> and
/// <see cref="LocalHit"/> measure the same against N local subscriptions (<c>Subscribe</c> on the node itself, one handler
/// each) on an endpoint with nothing else attached: the publish walks the local prefix index and calls one handler.
/// </summary>
[Config(typeof(ShortJobConfig))]
[MemoryDiagnoser]
public class SubscriptionBenchmarks
{
    [Params(10, 1_000, 100_000)]
    public int Prefixes { get; set; }

    private SpillwayEndpoint _endpoint = null!;
    private ClientSession _session = null!;
    private readonly Value _value = Value.Of(42L);
    private string _hitTopic = "";
    private SpillwayEndpoint _local = null!;
    private long _delivered;

    [GlobalSetup]
    public void Setup()
    {
        _endpoint = new SpillwayEndpoint(new EndpointOptions
        {
            MaxSubscriptions = Prefixes, MaxLocalSubscriptions = Prefixes, WebSocketBufferSize = 1024, WebSocketOverflowPolicy = OverflowPolicy.DropOldest,
        });
        var prefixes = Enumerable.Range(0, Prefixes).Select(i => $"spillway/tenant-{i:D6}/").ToArray();
        _session = _endpoint.AttachClient("bench", prefixes);
        _hitTopic = prefixes[^1] + "events/x";
        for (var i = 0; i < 2048; i++) _endpoint.Publish(_hitTopic, _value); // fill: steady state is drop_oldest

        _local = new SpillwayEndpoint();
        _local.Subscribe(prefixes, (_, _, _) => _delivered++); // one index build for all N (Subscribe one by one rebuilds each time)
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        _endpoint.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _local.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public int Miss() => _endpoint.Publish("spillway/tenant-zzzzzz/events/x", _value);

    [Benchmark]
    public int Hit() => _endpoint.Publish(_hitTopic, _value);

    [Benchmark]
    public int LocalMiss() => _local.Publish("spillway/tenant-zzzzzz/events/x", _value);

    [Benchmark]
    public int LocalHit() => _local.Publish(_hitTopic, _value);
}
