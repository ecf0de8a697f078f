using System.Diagnostics;

namespace Spillway.Bench.Quick;

/// <summary>
/// The measured part of a trial, the same for every trial that counts deliveries: let the warmup pass, then count what
/// the receiving side adds to the delivered slot over <c>measure</c>, with the CPU the trial's processes spend meanwhile.
/// </summary>
internal static class MeasuredWindow
{
    /// <param name="cpuUnit">How many counted units make one unit of CPU accounting (1 for messages; bytes per frame for the raw pump).</param>
    /// <returns>Counted units per second over the window, and CPU per <paramref name="cpuUnit"/> units.</returns>
    public static async Task<(double PerSecond, CpuUse Cpu)> MeasureAsync(SharedCounters counters, TimeSpan warmup, TimeSpan measure, CpuMeter cpu, double cpuUnit = 1)
    {
        await Task.Delay(warmup);
        cpu.Start();
        var (d0, t0) = (counters.Read(SharedCounters.Delivered), Stopwatch.GetTimestamp());
        await Task.Delay(measure);
        var (d1, t1) = (counters.Read(SharedCounters.Delivered), Stopwatch.GetTimestamp());
        var used = cpu.Stop((d1 - d0) / cpuUnit);
        return ((d1 - d0) / Stopwatch.GetElapsedTime(t0, t1).TotalSeconds, used);
    }
}
