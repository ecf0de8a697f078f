using Microsoft.Extensions.Logging;

namespace Spillway.Engine.Logging;

/// <summary>
/// Warnings that a remote can trigger at will (refused connections, failed handshakes from unknown peers) go
/// through here so a flood of them cannot flood the log: per kind, at most <c>burst</c> lines per window;
/// the rest are counted, and the first line of the kind after the window ends is preceded by one
/// "N similar warnings suppressed" line. Kinds are code constants, so the table stays small. Lifecycle lines a
/// stranger can repeat at will (a WebSocket client connecting and leaving) go through <see cref="Info"/> the same way.
/// </summary>
public sealed class RateLimitedLog(ILogger logger, TimeProvider time, int burst = 5, TimeSpan? window = null)
{
    private readonly TimeSpan _window = window ?? TimeSpan.FromSeconds(10);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);

    private sealed class State
    {
        public long WindowStart;
        public int Logged;
        public long Suppressed;
    }

    /// <summary>Logs a warning of <paramref name="kind"/> unless the kind is over its budget for this window.</summary>
    public void Warn(string kind, string template, params object?[] args) => Log(LogLevel.Warning, kind, template, args);

    /// <summary>Logs an information line of <paramref name="kind"/> unless the kind is over its budget for this window.</summary>
    public void Info(string kind, string template, params object?[] args) => Log(LogLevel.Information, kind, template, args);

    private void Log(LogLevel level, string kind, string template, object?[] args)
    {
        long suppressed;
        lock (_lock)
        {
            var now = time.GetTimestamp();
            if (!_states.TryGetValue(kind, out var state))
            {
                state = new State { WindowStart = now };
                _states.Add(kind, state);
            }
            if (time.GetElapsedTime(state.WindowStart, now) >= _window)
            {
                state.WindowStart = now;
                state.Logged = 0;
            }
            if (state.Logged >= burst)
            {
                state.Suppressed++;
                return;
            }
            state.Logged++;
            suppressed = state.Suppressed;
            state.Suppressed = 0;
        }
        if (suppressed > 0)
            logger.Log(level, "{Count} similar {Lines} suppressed ({Kind}) in the last {Window}", suppressed,
                level == LogLevel.Warning ? "warnings" : "lines", kind, _window);
#pragma warning disable CA2254 // the template is a code constant passed through by the caller
        logger.Log(level, template, args);
#pragma warning restore CA2254
    }

    /// <summary>Warnings of <paramref name="kind"/> counted but not yet reported as suppressed (for tests).</summary>
    public long PendingSuppressed(string kind)
    {
        lock (_lock) return _states.TryGetValue(kind, out var s) ? s.Suppressed : 0;
    }
}
