using Microsoft.Extensions.Time.Testing;
using Spillway.Engine.Logging;
using Spillway.Engine.Tests.Peering;

namespace Spillway.Engine.Tests.Logging;

public class RateLimitedLogTests
{
    [Fact]
    public void A_flood_of_one_kind_logs_the_burst_then_one_suppressed_line_per_window()
    {
        using var logs = new RecordingLoggerProvider();
        using var factory = logs.CreateFactory();
        var time = new FakeTimeProvider();
        var log = new RateLimitedLog(factory.CreateLogger("test"), time, burst: 3, window: TimeSpan.FromSeconds(10));

        for (var i = 0; i < 10_000; i++) log.Warn("refused", "Refused connection {N}", i);
        Assert.Equal(3, logs.Lines.Count);
        Assert.Equal(9_997, log.PendingSuppressed("refused"));

        // Another kind has its own budget.
        log.Warn("handshake failed", "Rejected {N}", 1);
        Assert.Equal(4, logs.Lines.Count);

        time.Advance(TimeSpan.FromSeconds(10));
        log.Warn("refused", "Refused connection {N}", 10_000);
        var lines = logs.Lines;
        Assert.Equal(6, lines.Count);
        Assert.Contains("9997 similar warnings suppressed (refused)", lines[4]);
        Assert.Contains("Refused connection 10000", lines[5]);
        Assert.Equal(0, log.PendingSuppressed("refused"));
    }
}
