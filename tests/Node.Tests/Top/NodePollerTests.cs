using Microsoft.Extensions.Time.Testing;
using Spillway.Node.Top;
using Spillway.Telemetry.Export;

namespace Spillway.Node.Tests.Top;

/// <remarks>
/// A healthy target must never be reported down because the machine is busy, so every poll here that expects an
/// answer has a generous timeout (<see cref="Generous"/>); timeouts themselves are tested against a
/// <see cref="SilentServer"/>, which never answers however long the timeout. The top loop runs on a
/// <see cref="FakeTimeProvider"/>, so its refreshes happen when the test says, not when a timer races the test.
/// </remarks>
public sealed class NodePollerTests : IAsyncLifetime
{
    /// <summary>Per-request limit for targets that do answer: a loaded CI machine answers a loopback GET well within it.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private PeersTestServer _server = null!;

    public async Task InitializeAsync() => _server = await PeersTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Polls_up_and_down_nodes_in_target_order()
    {
        var targets = new[]
        {
            new NodeTarget("manager", _server.Url("/peers")),
            new NodeTarget("closed", new Uri($"http://127.0.0.1:{PeersTestServer.ClosedPort()}/peers")),
            new NodeTarget("garbage", _server.Url("/garbage")),
        };
        using var http = new HttpClient { Timeout = Generous + Generous };
        using var poller = new NodePoller(targets, http, Generous);
        var before = DateTimeOffset.Now;

        var statuses = await poller.PollAsync(CancellationToken.None);

        Assert.Equal(["manager", "closed", "garbage"], statuses.Select(s => s.Name));

        var up = statuses[0];
        Assert.False(up.IsDown);
        Assert.Null(up.Error);
        Assert.NotNull(up.Report);
        Assert.Equal("manager", up.Report.Node);
        var peer = Assert.Single(up.Report.Peers);
        Assert.Equal(("worker-1", 350, 1000, 7L), (peer.Name, peer.Queued, peer.Capacity, peer.Overflows));
        Assert.True(up.At >= before.AddSeconds(-1));

        var closed = statuses[1];
        Assert.True(closed.IsDown);
        Assert.Null(closed.Report);
        Assert.Equal("connection refused", closed.Error);

        var garbage = statuses[2];
        Assert.True(garbage.IsDown);
        Assert.Null(garbage.Report);
        Assert.StartsWith("invalid /peers JSON", garbage.Error);
        Assert.True(garbage.Error!.Length <= 120, garbage.Error);
    }

    [Fact]
    public async Task Wrong_shape_and_http_errors_are_down_with_short_reasons()
    {
        var targets = new[]
        {
            new NodeTarget("shape", _server.Url("/bad-shape")),
            new NodeTarget("missing", _server.Url("/missing")),
        };
        using var poller = new NodePoller(targets, timeout: Generous);

        var statuses = await poller.PollAsync(CancellationToken.None);

        Assert.All(statuses, s => Assert.True(s.IsDown));
        Assert.StartsWith("invalid /peers JSON", statuses[0].Error);
        Assert.Equal("HTTP 404 Not Found", statuses[1].Error);
    }

    [Fact]
    public async Task A_slow_node_times_out_without_delaying_the_others()
    {
        // The slow node never answers, so it is down whatever the timeout; the healthy one, polled in the same round
        // with the same (generous) timeout, is up with its report. A poller that let the slow node hold up the others
        // would report the healthy one down too.
        await using var silent = new SilentServer();
        var targets = new[]
        {
            new NodeTarget("slow", silent.Url("/peers")),
            new NodeTarget("manager", _server.Url("/peers")),
        };
        using var poller = new NodePoller(targets, timeout: TimeSpan.FromSeconds(20));

        var statuses = await poller.PollAsync(CancellationToken.None);

        Assert.Equal(["slow", "manager"], statuses.Select(s => s.Name));
        await silent.Accepted.WaitAsync(Generous); // it hung on an accepted request, not on a refused connect
        Assert.Equal(1, silent.Connections);
        Assert.True(statuses[0].IsDown);
        Assert.Null(statuses[0].Report);
        Assert.Equal("no answer within 20 s", statuses[0].Error);
        Assert.False(statuses[1].IsDown);
        Assert.Null(statuses[1].Error);
        Assert.Equal("manager", statuses[1].Report?.Node);
    }

    [Fact]
    public async Task Default_timeout_is_800_ms()
    {
        using var poller = new NodePoller([]);
        Assert.Equal(TimeSpan.FromMilliseconds(800), poller.Timeout);
        Assert.Empty(await poller.PollAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Unresolvable_host_is_down()
    {
        using var poller = new NodePoller([new NodeTarget("nowhere", new Uri("http://nonexistent.invalid:9101/peers"))]);
        var status = Assert.Single(await poller.PollAsync(CancellationToken.None));
        Assert.True(status.IsDown);
        Assert.False(string.IsNullOrWhiteSpace(status.Error));
    }

    [Fact]
    public async Task Caller_cancellation_throws()
    {
        // Cancelled while the request hangs (the timeout is far away): the caller's cancellation wins, not a "down".
        await using var silent = new SilentServer();
        using var poller = new NodePoller([new NodeTarget("slow", silent.Url("/peers"))], timeout: TimeSpan.FromMinutes(10));
        using var cts = new CancellationTokenSource();
        var poll = poller.PollAsync(cts.Token);
        await silent.Accepted.WaitAsync(Generous);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);
    }

    [Fact]
    public async Task Polled_report_renders()
    {
        using var poller = new NodePoller([new NodeTarget("manager", _server.Url("/peers"))], timeout: Generous);
        var first = await poller.PollAsync(CancellationToken.None);
        _server.Report = TopTestData.Report("manager", TopTestData.Peer("worker-1", queued: 1000, overflows: 107));
        var second = await poller.PollAsync(CancellationToken.None);

        string screen = TopRenderer.Render(second, first, 200);
        Assert.Contains("[####################] 100%", screen);
        Assert.Contains("/s", screen);
        Assert.Contains(" 107 ", screen);
    }

    [Fact]
    public async Task Top_loop_with_ansi_clears_and_redraws_until_cancelled()
    {
        var targets = new[]
        {
            new NodeTarget("manager", _server.Url("/peers")),
            new NodeTarget("closed", new Uri($"http://127.0.0.1:{PeersTestServer.ClosedPort()}/peers")),
        };
        var output = new FrameRecorder();
        var frames = await TwoFramesAsync(targets, output, ansi: true, width: 100);

        Assert.All(output.Writes, w => Assert.StartsWith(TopLoop.ClearScreen, w));
        var screens = output.Text.Split(TopLoop.ClearScreen, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(frames, screens.Length);
        Assert.All(screens, f => Assert.Contains("nodes up 1/2", f));
        Assert.All(screens, f => Assert.Contains("DOWN: connection refused", f));
        Assert.Contains("0.0/s", screens[^1]); // the second frame onwards has a rate
    }

    [Fact]
    public async Task Top_loop_without_ansi_separates_frames_and_writes_no_escapes()
    {
        var output = new FrameRecorder();
        await TwoFramesAsync([new NodeTarget("manager", _server.Url("/peers"))], output, ansi: false, width: 60);

        string text = output.Text;
        Assert.DoesNotContain('\u001b', text);
        Assert.StartsWith("spillway top", text);
        Assert.Contains("\n" + new string('-', 60) + "\nspillway top", text);
        Assert.All(text.Split('\n'), l => Assert.True(l.Length <= 60, l));
    }

    /// <summary>
    /// Runs the top loop on a fake clock: the first frame comes at once, the test then moves the clock one refresh
    /// interval for the second and stops the loop. The polls' own timeouts run on the same clock and so never fire:
    /// a slow poll delays a frame, it never turns a healthy node DOWN. Returns the number of frames written (two).
    /// </summary>
    private static async Task<int> TwoFramesAsync(IReadOnlyList<NodeTarget> targets, FrameRecorder output, bool ansi, int width)
    {
        var time = new FakeTimeProvider();
        var interval = TimeSpan.FromSeconds(1);
        using var cts = new CancellationTokenSource();
        var run = TopLoop.RunAsync(targets, output, ansi, cts.Token, interval, width: () => width, timeProvider: time);
        await Eventually.HoldsAsync(() => output.Count == 1, () => $"{output.Count} frames written, expected the first");
        time.Advance(interval);
        await Eventually.HoldsAsync(() => output.Count == 2, () => $"{output.Count} frames written, expected the second");
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(Eventually.DefaultTimeoutSeconds));
        Assert.Equal(2, output.Count);
        return output.Count;
    }
}
