using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Spillway.Bench.Quick;

namespace Spillway.Bench;

/// <summary>
/// Publish cost with 1, 4, 16 and 64 subscribing peers (real endpoints over loopback TCP, all in one
/// receiving process, draining while the benchmark publishes). The receivers live in another process
/// because MemoryDiagnoser counts every thread of the benchmark process: in-process receivers decoding
/// each message made Allocated grow with Peers (240 B -> 8,770 B in a first run) although the publish
/// itself allocates one 40-byte DeferredFrame, shared by every peering it reaches. The engine's default
/// drop_oldest policy keeps the buffers bounded when the receivers fall behind, so the steady state may
/// include evictions.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private const int PerInvoke = 1024;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithId("Short").WithToolchain(BenchProjectGenerator.Toolchain).WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(10));
            // The generated project's build took over BenchmarkDotNet's default 2 minutes on the shared 2-core machine.
            WithBuildTimeout(TimeSpan.FromMinutes(10));
        }
    }

    [Params(1, 4, 16, 64)]
    public int Peers { get; set; }

    private SharedCounters _counters = null!;
    private SubscriberProcess _receivers = null!;
    private IBenchSender _sender = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _counters = SharedCounters.Create();
        _receivers = await SubscriberProcess.StartAsync("spillway", Peers, _counters, latency: false);
        _sender = await SpillwayPeer.ConnectAsync(_receivers.Ports, 64, dropOldest: true);
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public void Publish64B()
    {
        for (var i = 0; i < PerInvoke; i++) _sender.Send(0);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _sender.DisposeAsync();
        _receivers.Dispose();
        _counters.Dispose();
    }
}
