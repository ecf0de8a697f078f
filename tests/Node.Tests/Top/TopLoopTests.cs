using Spillway.Node.Top;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Tests.Top;

public sealed class TopLoopTests
{
    [Fact]
    public void FromLayout_maps_every_node_to_its_metrics_port_peers_url()
    {
        var layout = DemoLayout.Create();
        var targets = TopLoop.FromLayout(layout);
        Assert.Equal(layout.Nodes.Select(n => n.Name), targets.Select(t => t.Name));
        for (int i = 0; i < targets.Count; i++)
            Assert.Equal($"http://{layout.Nodes[i].Host}:{layout.Nodes[i].MetricsPort}/peers", targets[i].PeersUrl.ToString());
    }

    [Fact]
    public void FromLayout_brackets_ipv6_hosts()
    {
        var layout = new ClusterLayout(
        [
            new NodeSpec { Name = "manager", Role = NodeRole.Manager, Host = "::1", PeeringPort = 9000, MetricsPort = 9100 },
            new NodeSpec { Name = "logger-1", Role = NodeRole.Logger, Host = "logger.example", PeeringPort = 9001, MetricsPort = 9101 },
        ]);
        var targets = TopLoop.FromLayout(layout);
        Assert.Equal("http://[::1]:9100/peers", targets[0].PeersUrl.ToString());
        Assert.Equal("http://logger.example:9101/peers", targets[1].PeersUrl.ToString());
    }

    [Fact]
    public async Task Already_cancelled_returns_without_writing()
    {
        var output = new StringWriter();
        await TopLoop.RunAsync([], output, ansi: true, new CancellationToken(canceled: true));
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public async Task Each_frame_asks_for_the_restart_counts_afresh()
    {
        // A node that refuses connections (nothing listens on a reserved port): down, with the restarts the caller reports.
        int port = FreePorts.Reserve(1)[0];
        var target = new NodeTarget("worker-1", new Uri($"http://127.0.0.1:{port}/peers"));
        var output = new FrameRecorder();
        int asked = 0;
        using var cts = new CancellationTokenSource();
        var run = TopLoop.RunAsync([target], output, ansi: false, cts.Token, interval: TimeSpan.FromMilliseconds(50), width: () => 80,
            restarts: () => new Dictionary<string, int> { ["worker-1"] = Interlocked.Increment(ref asked) });
        await Eventually.HoldsAsync(() => output.Count >= 2, () => $"{output.Count} frames");
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        var frames = output.Writes;
        Assert.Contains("\nworker-1  restarts 1\n  DOWN: ", frames[0]);
        Assert.Contains("\nworker-1  restarts 2\n  DOWN: ", frames[1]);
    }

    [Fact]
    public async Task The_alternate_screen_is_entered_first_and_left_last()
    {
        var output = new FrameRecorder();
        using var cts = new CancellationTokenSource();
        var run = TopLoop.RunOnAlternateScreenAsync([], output, cts.Token, title: "spillway demo  Ctrl-C stops");
        while (output.Count < 2) await Task.Delay(20);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        var writes = output.Writes;
        Assert.Equal(TopLoop.EnterAlternateScreen, writes[0]);
        Assert.Equal(TopLoop.LeaveAlternateScreen, writes[^1]);
        Assert.StartsWith(TopLoop.ClearScreen + "spillway demo  Ctrl-C stops\nspillway top  ", writes[1]);
        Assert.All(writes.Skip(1).SkipLast(1), w => Assert.StartsWith(TopLoop.ClearScreen, w));
    }
}
