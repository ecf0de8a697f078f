using System.Diagnostics;
using Spillway.Node.Top;
using Spillway.Telemetry.Export;

namespace Spillway.Node.Tests.Top;

public sealed class NodePollerTests : IAsyncLifetime
{
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
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(800) };
        using var poller = new NodePoller(targets, http);
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
        using var poller = new NodePoller(targets);

        var statuses = await poller.PollAsync(CancellationToken.None);

        Assert.All(statuses, s => Assert.True(s.IsDown));
        Assert.StartsWith("invalid /peers JSON", statuses[0].Error);
        Assert.Equal("HTTP 404 Not Found", statuses[1].Error);
    }

    [Fact]
    public async Task A_slow_node_times_out_without_delaying_the_others()
    {
        var targets = new[]
        {
            new NodeTarget("slow", _server.Url("/slow")),
            new NodeTarget("manager", _server.Url("/peers")),
        };
        using var poller = new NodePoller(targets, timeout: TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        var statuses = await poller.PollAsync(CancellationToken.None);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"poll took {watch.Elapsed}");
        Assert.True(statuses[0].IsDown);
        Assert.Equal("no answer within 300 ms", statuses[0].Error);
        Assert.False(statuses[1].IsDown);
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
        using var poller = new NodePoller([new NodeTarget("slow", _server.Url("/slow"))], timeout: TimeSpan.FromSeconds(10));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poller.PollAsync(cts.Token));
    }

    [Fact]
    public async Task Polled_report_renders()
    {
        using var poller = new NodePoller([new NodeTarget("manager", _server.Url("/peers"))]);
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
        using var cts = new CancellationTokenSource();
        var run = TopLoop.RunAsync(targets, output, ansi: true, cts.Token, TimeSpan.FromMilliseconds(50), width: () => 100);
        await WaitUntil(() => output.Count >= 2);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(output.Writes, w => Assert.StartsWith(TopLoop.ClearScreen, w));
        var frames = output.Text.Split(TopLoop.ClearScreen, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(output.Count, frames.Length);
        Assert.All(frames, f => Assert.Contains("nodes up 1/2", f));
        Assert.All(frames, f => Assert.Contains("DOWN: connection refused", f));
        Assert.Contains("0.0/s", frames[^1]); // the second frame onwards has a rate
    }

    [Fact]
    public async Task Top_loop_without_ansi_separates_frames_and_writes_no_escapes()
    {
        var output = new FrameRecorder();
        using var cts = new CancellationTokenSource();
        var run = TopLoop.RunAsync([new NodeTarget("manager", _server.Url("/peers"))], output, ansi: false, cts.Token,
            TimeSpan.FromMilliseconds(50), width: () => 60);
        await WaitUntil(() => output.Count >= 2);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        string text = output.Text;
        Assert.DoesNotContain('\u001b', text);
        Assert.StartsWith("spillway top", text);
        Assert.Contains("\n" + new string('-', 60) + "\nspillway top", text);
        Assert.All(text.Split('\n'), l => Assert.True(l.Length <= 60, l));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met");
            await Task.Delay(20);
        }
    }
}
