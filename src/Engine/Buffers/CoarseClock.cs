namespace Spillway.Engine.Buffers;

/// <summary>
/// A timestamp refreshed by a timer instead of read per message. Buffers consult <see cref="Now"/>
/// (one volatile read) on every push and pull; the exact clock is read only when stats are requested.
/// The window rule therefore rolls over on buffer activity at most <see cref="Resolution"/> late.
/// </summary>
internal sealed class CoarseClock : IDisposable
{
    public static readonly TimeSpan DefaultResolution = TimeSpan.FromMilliseconds(100);

    private readonly ITimer _timer;
    private long _now;

    public CoarseClock(TimeProvider timeProvider, TimeSpan? resolution = null)
    {
        TimeProvider = timeProvider;
        Resolution = resolution ?? DefaultResolution;
        _now = timeProvider.GetTimestamp();
        _timer = timeProvider.CreateTimer(static state => ((CoarseClock)state!).Refresh(), this, Resolution, Resolution);
    }

    public TimeProvider TimeProvider { get; }
    public TimeSpan Resolution { get; }

    /// <summary>The last refreshed <see cref="TimeProvider.GetTimestamp"/> value.</summary>
    public long Now => Volatile.Read(ref _now);

    /// <summary>Reads the exact clock and publishes it as <see cref="Now"/>.</summary>
    public long Refresh()
    {
        var now = TimeProvider.GetTimestamp();
        Volatile.Write(ref _now, now);
        return now;
    }

    public long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * TimeProvider.TimestampFrequency);

    public void Dispose() => _timer.Dispose();
}
