using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Spillway.Telemetry.Export;

/// <summary>
/// The snapshot both exporters read at scrape time. Refills from the <see cref="ITelemetrySource"/> at most once per
/// freshness window, so the several instrument callbacks of one OpenTelemetry collect see one consistent state.
/// Thread-safe; touched only by scrapes, never per message.
/// </summary>
/// <remarks>
/// Fills go into a scratch snapshot that is swapped in only when <see cref="ITelemetrySource.Fill"/> returns, so a
/// throwing source leaves the previous values in place (a warning is logged) and /metrics keeps answering.
/// </remarks>
public sealed class ScrapeSnapshot
{
    /// <summary>Default freshness window: long enough to cover one collect, far shorter than any scrape interval.</summary>
    public static readonly TimeSpan DefaultFreshness = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly ITelemetrySource _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _freshness;
    private TelemetrySnapshot _current = new();
    private TelemetrySnapshot _scratch = new();
    private long _lastFillTimestamp;
    private bool _attempted;
    private long _fills;
    private long _failedFills;

    public ScrapeSnapshot(ITelemetrySource source, ILogger<ScrapeSnapshot>? logger = null, TimeProvider? timeProvider = null, TimeSpan? freshness = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (freshness is { } f && f < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(freshness), f, "The freshness window must not be negative.");
        _source = source;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _freshness = freshness ?? DefaultFreshness;
    }

    /// <summary>What this snapshot is filled from.</summary>
    public ITelemetrySource Source => _source;

    /// <summary>The freshness window: a snapshot younger than this is reused instead of refilled.</summary>
    public TimeSpan Freshness => _freshness;

    /// <summary>Number of <see cref="ITelemetrySource.Fill"/> calls so far (successful or not).</summary>
    public long FillCount { get { lock (_gate) return _fills; } }

    /// <summary>Number of <see cref="ITelemetrySource.Fill"/> calls that threw.</summary>
    public long FailedFillCount { get { lock (_gate) return _failedFills; } }

    /// <summary>
    /// Returns the current snapshot, refilled first if the last fill is older than <see cref="Freshness"/>.
    /// The instance is reused: read it right away (within the same collect), never keep it. When scrapes may run
    /// concurrently prefer <see cref="Read{TState, TResult}"/>, which reads under the lock.
    /// </summary>
    public TelemetrySnapshot Get()
    {
        lock (_gate)
        {
            RefreshIfStale();
            return _current;
        }
    }

    /// <summary>
    /// Makes the next read refill. Each /metrics request calls this first, so a scrape never sees values from
    /// before it began; the freshness window then only spans the callbacks of that one collect.
    /// </summary>
    public void MarkStale()
    {
        lock (_gate) _attempted = false;
    }

    /// <summary>Refreshes if stale, then runs <paramref name="reader"/> on the snapshot under the lock.</summary>
    public TResult Read<TState, TResult>(TState state, Func<TelemetrySnapshot, TState, TResult> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        lock (_gate)
        {
            RefreshIfStale();
            return reader(_current, state);
        }
    }

    private void RefreshIfStale()
    {
        long now = _time.GetTimestamp();
        if (_attempted && _time.GetElapsedTime(_lastFillTimestamp, now) < _freshness)
            return;

        // The timestamp moves on failure too: the other callbacks of this collect reuse the previous values
        // instead of retrying (and logging) once per instrument.
        _attempted = true;
        _lastFillTimestamp = now;
        _fills++;
        var scratch = _scratch;
        try
        {
            scratch.Clear();
            _source.Fill(scratch);
        }
        catch (Exception ex)
        {
            _failedFills++;
            _logger.LogWarning(ex, "Telemetry source {Source} failed to fill the scrape snapshot; exporting the previous values.",
                _source.GetType().Name);
            return;
        }

        _scratch = _current;
        _current = scratch;
    }
}
