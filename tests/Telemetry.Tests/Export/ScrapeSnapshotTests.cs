using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Spillway.Telemetry.Export;

namespace Spillway.Telemetry.Tests.Export;

public sealed class ScrapeSnapshotTests
{
    [Fact]
    public void Get_refills_only_after_the_freshness_window()
    {
        var time = new FakeTimeProvider();
        var source = new TestTelemetrySource(Snapshots.Sample);
        var snapshot = new ScrapeSnapshot(source, timeProvider: time, freshness: TimeSpan.FromMilliseconds(100));

        Assert.Equal("worker-1", snapshot.Get().NodeName);
        Assert.Equal(1, source.Fills);

        source.Set(s => s.NodeName = "changed");
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal("worker-1", snapshot.Get().NodeName); // same collect: same state
        Assert.Equal(1, source.Fills);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("changed", snapshot.Get().NodeName);
        Assert.Equal(2, source.Fills);
        Assert.Equal(2, snapshot.FillCount);
    }

    [Fact]
    public void A_throwing_fill_keeps_the_previous_values_and_logs_a_warning()
    {
        var time = new FakeTimeProvider();
        var source = new TestTelemetrySource(Snapshots.Sample);
        var logs = new RecordingLoggerProvider(LogLevel.Information);
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var snapshot = new ScrapeSnapshot(source, factory.CreateLogger<ScrapeSnapshot>(), time);
        snapshot.Get();

        source.FailWith(new InvalidOperationException("boom"));
        time.Advance(TimeSpan.FromSeconds(1));
        var s = snapshot.Get();
        Assert.Equal("worker-1", s.NodeName);
        Assert.Equal(2, s.PeerBuffers.Count);
        Assert.DoesNotContain(s.PeerBuffers, g => g.Peer == "garbage");
        Assert.Equal(1, snapshot.FailedFillCount);
        var warning = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal("boom", warning.Exception?.Message);

        // Within the window the failure is not retried (one warning per collect, not per instrument).
        snapshot.Get();
        Assert.Equal(2, source.Fills);
        Assert.Single(logs.Entries);

        source.FailWith(null);
        source.Set(Snapshots.LoggerLeft);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(snapshot.Get().PeerBuffers);
    }

    [Fact]
    public void Before_any_successful_fill_the_snapshot_is_empty()
    {
        var source = new TestTelemetrySource();
        source.FailWith(new InvalidOperationException("not yet"));
        var snapshot = new ScrapeSnapshot(source);
        var s = snapshot.Get();
        Assert.Equal("", s.NodeName);
        Assert.Empty(s.PeerBuffers);
    }

    [Fact]
    public void Read_sees_one_consistent_snapshot_under_concurrent_scrapes()
    {
        int generation = 0;
        var source = new TestTelemetrySource();
        source.Set(s =>
        {
            int g = Interlocked.Increment(ref generation);
            s.NodeName = $"n{g}";
            for (int i = 0; i < 50; i++)
                s.PeerBuffers.Add(new PeerBufferGauges($"p{i}", g, g, g));
        });
        var snapshot = new ScrapeSnapshot(source, freshness: TimeSpan.Zero);

        Parallel.For(0, 2000, _ =>
        {
            bool consistent = snapshot.Read(0, static (s, _) =>
                s.PeerBuffers.Count == 50 && s.PeerBuffers.All(g => $"n{g.Queued}" == s.NodeName));
            Assert.True(consistent);
        });
    }

    [Fact]
    public void Rejects_a_negative_window() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScrapeSnapshot(new TestTelemetrySource(), freshness: TimeSpan.FromSeconds(-1)));
}
