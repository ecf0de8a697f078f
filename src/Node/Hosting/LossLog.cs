using System.Globalization;
using Microsoft.Extensions.Logging;
using Spillway.Telemetry.Export;

namespace Spillway.Node.Hosting;

/// <summary>
/// Puts message loss in the node's log, in three kinds of line per peering: one warning when its send buffer starts
/// overflowing, a summary every <see cref="SummaryInterval"/> while it goes on (messages dropped since the last line),
/// and one line when it stops (no overflow for <see cref="QuietPeriod"/>, or the peering ended). Reads the same stats
/// as <c>/peers</c> every <see cref="CheckInterval"/>, off the message path.
/// </summary>
public sealed class LossLog : IAsyncDisposable
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(15);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly string _node;
    private readonly Func<PeersReport> _report;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, PeerState> _peers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private sealed class PeerState
    {
        public long Overflows;
        public DateTimeOffset Seen;
        public bool Dropping;
        public DateTimeOffset Since;
        public DateTimeOffset LastDrop;
        public DateTimeOffset LastLine;
        public long Total;
        public long SinceLastLine;
    }

    public LossLog(string node, Func<PeersReport> report, ILogger logger, TimeProvider? time = null)
    {
        _node = node;
        _report = report;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Checks every <see cref="CheckInterval"/> until disposed.</summary>
    public static LossLog Start(string node, Func<PeersReport> report, ILogger logger)
    {
        var log = new LossLog(node, report, logger);
        log.Check(); // the baseline: overflows before start-up are not news
        log._loop = Task.Run(() => log.RunAsync(log._stop.Token));
        return log;
    }

    private async Task RunAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(CheckInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token)) Check();
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>One look at the counters; logs what changed. The first look only records them.</summary>
    public void Check()
    {
        var now = _time.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in _report().Peers)
        {
            var peer = row.Name is { Length: > 0 } name ? name : $"(unnamed) {row.Address}";
            if (!seen.Add(peer)) continue;
            if (!_peers.TryGetValue(peer, out var state))
            {
                _peers[peer] = new PeerState { Overflows = row.Overflows, Seen = now };
                continue;
            }
            // A counter that went down is a new peering under the same name: start again from its value.
            var dropped = row.Overflows >= state.Overflows ? row.Overflows - state.Overflows : row.Overflows;
            state.Overflows = row.Overflows;
            var previousLook = state.Seen;
            state.Seen = now;
            if (dropped > 0)
            {
                state.LastDrop = now;
                state.Total += dropped;
                if (!state.Dropping)
                {
                    state.Dropping = true;
                    state.Since = now;
                    state.LastLine = now;
                    state.SinceLastLine = 0;
                    _logger.LogWarning(
                        "{Node}: dropping messages to {Peer}: its send buffer ({Capacity} messages, {Policy}) overflowed {Count} times in {Window}; the peer reads slower than this node sends",
                        _node, peer, row.Capacity, row.Policy, dropped, Seconds(now - previousLook));
                    continue;
                }
                state.SinceLastLine += dropped;
            }
            if (!state.Dropping) continue;
            if (now - state.LastDrop >= QuietPeriod) Stopped(peer, state, "no overflow for " + Seconds(QuietPeriod));
            else if (now - state.LastLine >= SummaryInterval)
            {
                var window = now - state.LastLine;
                _logger.LogWarning("{Node}: still dropping messages to {Peer}: {Count} in the last {Window} ({Rate}/s), {Total} since {Since}",
                    _node, peer, state.SinceLastLine, Seconds(window),
                    (state.SinceLastLine / window.TotalSeconds).ToString("0", Inv), state.Total, Clock(state.Since));
                state.LastLine = now;
                state.SinceLastLine = 0;
            }
        }
        foreach (var (peer, state) in _peers.ToArray())
        {
            if (seen.Contains(peer)) continue;
            if (state.Dropping) Stopped(peer, state, "the peering ended");
            _peers.Remove(peer);
        }
    }

    private void Stopped(string peer, PeerState state, string why)
    {
        _logger.LogInformation("{Node}: no longer dropping messages to {Peer} ({Why}): {Total} dropped from {Since} to {Until}",
            _node, peer, why, state.Total, Clock(state.Since), Clock(state.LastDrop));
        state.Dropping = false;
        state.Total = 0;
        state.SinceLastLine = 0;
    }

    private string Clock(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, _time.LocalTimeZone).ToString("HH:mm:ss", Inv);

    private static string Seconds(TimeSpan span) => ((long)Math.Round(span.TotalSeconds)).ToString(Inv) + " s";

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
