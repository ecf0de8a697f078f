using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Spillway.Node.Demo;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Tests.Demo;

public class NodeSupervisorTests
{
    private static readonly NodeSpec Worker = DemoLayout.Create().Get("worker-1");

    [Fact]
    public void Backoff_doubles_from_1_s_to_30_s_and_starts_over_after_a_long_run()
    {
        var backoff = new RestartBackoff();
        var quick = TimeSpan.FromSeconds(2);
        Assert.Equal(new[] { 1, 2, 4, 8, 16, 30, 30 }, Enumerable.Range(0, 7).Select(_ => (int)backoff.Next(quick).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next(TimeSpan.FromSeconds(31)));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Next(quick));
    }

    [Fact]
    public async Task A_node_crashing_again_and_again_is_restarted_with_growing_waits_and_counted()
    {
        var time = new FakeTimeProvider();
        var nodes = new FakeNodes();
        var reports = new ConcurrentQueue<string>();
        var supervisor = new NodeSupervisor(nodes, restart: true, time, reports.Enqueue, _ => ["last words"], n => $"/logs/{n}.log");
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(stop);

        var restartTimes = new List<DateTimeOffset>();
        for (var crash = 1; crash <= 6; crash++)
        {
            nodes.Crash(Worker, 137);
            var expected = crash;
            await RunTimeUntilAsync(time, () => nodes.Restarts == expected, () => string.Join("\n", reports));
            restartTimes.Add(time.GetUtcNow());
            Assert.Equal(crash, supervisor.RestartsOf("worker-1"));
        }
        var announced = reports.Where(r => r.Contains("exited unexpectedly")).ToArray();
        Assert.Equal(6, announced.Length);
        string[] waits = ["1 s (restart 1)", "2 s (restart 2)", "4 s (restart 3)", "8 s (restart 4)", "16 s (restart 5)", "30 s (restart 6)"];
        for (var i = 0; i < 6; i++)
        {
            Assert.Contains($"node worker-1 exited unexpectedly with code 137; restarting it in {waits[i]}; its log: /logs/worker-1.log", announced[i]);
        }
        Assert.Contains("  last words", reports);
        // Fake time between restarts grows with the waits (each also includes the check interval and the 1 s shutdown grace).
        for (var i = 1; i < restartTimes.Count; i++)
            Assert.True(restartTimes[i] - restartTimes[i - 1] >= TimeSpan.FromSeconds(int.Parse(waits[i].Split(' ')[0])));
        Assert.Equal(new Dictionary<string, int> { ["worker-1"] = 6 }, supervisor.Restarts);

        stop.Cancel();
        Assert.Null(await run);
    }

    [Fact]
    public async Task Without_restarts_the_first_crash_stops_the_demo_and_names_the_node()
    {
        var time = new FakeTimeProvider();
        var nodes = new FakeNodes();
        var supervisor = new NodeSupervisor(nodes, restart: false, time, _ => { }, _ => [], n => n);
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(stop);
        nodes.Crash(Worker, 1);
        await RunTimeUntilAsync(time, () => run.IsCompleted, () => "still watching");
        Assert.Equal((Worker, 1), await run);
        Assert.True(stop.IsCancellationRequested);
        Assert.Equal(0, nodes.Restarts);
    }

    [Fact]
    public async Task A_node_that_exits_0_while_the_demo_stops_is_not_restarted()
    {
        var time = new FakeTimeProvider();
        var nodes = new FakeNodes();
        var supervisor = new NodeSupervisor(nodes, restart: true, time, _ => { }, _ => [], n => n);
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(stop);
        nodes.Crash(Worker, 0);
        stop.Cancel();
        await RunTimeUntilAsync(time, () => run.IsCompleted, () => "still watching");
        Assert.Null(await run);
        Assert.Equal(0, nodes.Restarts);
    }

    /// <summary>Moves fake time on in small steps, letting continuations run, until the condition holds (bounded in real time).</summary>
    private static async Task RunTimeUntilAsync(FakeTimeProvider time, Func<bool> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not reached: {describe()}");
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(2);
        }
    }

    private sealed class FakeNodes : ISupervisedNodes
    {
        private readonly ConcurrentDictionary<string, (NodeSpec Node, int Code)> _exited = new();
        private int _restarts;

        public int Restarts => Volatile.Read(ref _restarts);

        public void Crash(NodeSpec node, int code) => _exited[node.Name] = (node, code);

        public IEnumerable<(NodeSpec Node, int ExitCode)> Exited() => _exited.Values.Select(v => (v.Node, v.Code)).ToArray();

        public void Restart(NodeSpec node)
        {
            Assert.True(_exited.TryRemove(node.Name, out _), $"{node.Name} restarted while running");
            Interlocked.Increment(ref _restarts);
        }
    }
}
