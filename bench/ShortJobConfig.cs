using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Spillway.Bench;

/// <summary>The short job the suites without their own settings share: one launch, 5 warmup and 10 measured iterations.</summary>
internal sealed class ShortJobConfig : ManualConfig
{
    public ShortJobConfig() =>
        AddJob(Job.Default.WithId("Short").WithToolchain(BenchProjectGenerator.Toolchain).WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(10));
}
