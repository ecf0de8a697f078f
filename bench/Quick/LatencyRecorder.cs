using System.Diagnostics;
using HdrHistogram;

namespace Spillway.Bench.Quick;

/// <summary>
/// Publish -> delivery latency on the receiving side: the sender stamps each message with its
/// intended send time (Stopwatch ticks; CLOCK_MONOTONIC is shared by processes on one Linux machine),
/// the receiver records now - stamp into an HdrHistogram (3 significant digits, no allocation per
/// sample). Stamps are intended times, not actual ones, so a publisher that falls behind its rate
/// shows up as latency (no coordinated omission).
/// </summary>
internal sealed class LatencyRecorder(SharedCounters counters)
{
    private static readonly long MaxNanos = TimeSpan.FromSeconds(60).Ticks * 100;
    private static readonly double NanosPerTick = 1e9 / Stopwatch.Frequency;
    private readonly LongHistogram _histogram = new(MaxNanos, 3);

    /// <summary>Called on the subscriber's delivery path, one thread at a time.</summary>
    public void Record(long stamp)
    {
        var now = Stopwatch.GetTimestamp();
        if (stamp < counters.Read(SharedCounters.RecordFrom)) return;
        var nanos = (long)((now - stamp) * NanosPerTick);
        _histogram.RecordValue(Math.Clamp(nanos, 0, MaxNanos));
    }

    /// <summary>"count p50 p99 p999 max" in microseconds, one line.</summary>
    public string Summary()
    {
        var h = _histogram.Copy();
        if (h.TotalCount == 0) return "0 0 0 0 0";
        static string Us(long nanos) => (nanos / 1000.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        return $"{h.TotalCount} {Us(h.GetValueAtPercentile(50))} {Us(h.GetValueAtPercentile(99))} {Us(h.GetValueAtPercentile(99.9))} {Us(h.GetMaxValue())}";
    }
}
