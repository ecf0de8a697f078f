using Microsoft.Extensions.Time.Testing;
using Spillway.Node.Hosting;
using Spillway.Telemetry.Export;

namespace Spillway.Node.Tests.Hosting;

/// <summary>
/// The loss log's lines, driven by a fake clock and the counters of a /peers document: one warning when overflows begin,
/// a summary per minute while they go on, one line when they stop.
/// </summary>
public sealed class LossLogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 13, 0, 0, TimeSpan.Zero));
    private readonly RecordingLogger _logger = new();
    private readonly Dictionary<string, long> _overflows = new() { ["logger"] = 0, ["manager"] = 0 };
    private readonly LossLog _log;

    public LossLogTests() => _log = new LossLog("worker-1", Report, _logger, _time);

    private PeersReport Report() => new("worker-1", "e1",
        _overflows.Select(p => new PeerReportRow("id-" + p.Key, p.Key, PeerReportRow.Initiated, "127.0.0.1:1", 1000, "drop_oldest", 1000, 1000, p.Value, 0))
            .ToArray(), []);

    /// <summary>Advances the clock by one check interval, adds <paramref name="toLogger"/> overflows to the logger peering, checks.</summary>
    private void Step(long toLogger)
    {
        _time.Advance(LossLog.CheckInterval);
        _overflows["logger"] += toLogger;
        _log.Check();
    }

    [Fact]
    public void OverflowsAreLoggedOnceWhenTheyBeginPerMinuteWhileTheyGoOnAndOnceWhenTheyStop()
    {
        _overflows["logger"] = 500; // before the first look: not news
        _log.Check();
        Assert.Empty(_logger.Lines);

        Step(1600); // 13:00:05
        Assert.Equal(["warn worker-1: dropping messages to logger: its send buffer (1000 messages, drop_oldest) overflowed 1600 times in 5 s; the peer reads slower than this node sends"],
            _logger.Lines);

        for (var i = 0; i < 11; i++) Step(1600); // to 13:01:00: 55 s after the warning, no summary yet
        Assert.Single(_logger.Lines);
        Step(1600); // 13:01:05: a minute after the warning
        Assert.Equal("warn worker-1: still dropping messages to logger: 19200 in the last 60 s (320/s), 20800 since 13:00:05", _logger.Lines[^1]);

        Step(100); // 13:01:10, the last overflow
        Step(0);
        Step(0);
        Assert.Equal(2, _logger.Lines.Count); // 10 s without overflow: not yet quiet
        Step(0); // 13:01:25: 15 s without overflow
        Assert.Equal("information worker-1: no longer dropping messages to logger (no overflow for 15 s): 20900 dropped from 13:00:05 to 13:01:10",
            _logger.Lines[^1]);

        for (var i = 0; i < 20; i++) Step(0);
        Assert.Equal(3, _logger.Lines.Count);

        Step(7); // a new episode gets its own warning
        Assert.Equal("warn worker-1: dropping messages to logger: its send buffer (1000 messages, drop_oldest) overflowed 7 times in 5 s; the peer reads slower than this node sends",
            _logger.Lines[^1]);
        Assert.Equal(4, _logger.Lines.Count);
    }

    [Fact]
    public void APeeringThatEndsWhileDroppingEndsItsEpisode()
    {
        _log.Check();
        Step(40);
        _overflows.Remove("logger");
        _time.Advance(LossLog.CheckInterval);
        _log.Check();
        Assert.Equal(
        [
            "warn worker-1: dropping messages to logger: its send buffer (1000 messages, drop_oldest) overflowed 40 times in 5 s; the peer reads slower than this node sends",
            "information worker-1: no longer dropping messages to logger (the peering ended): 40 dropped from 13:00:05 to 13:00:05",
        ], _logger.Lines);
    }
}
