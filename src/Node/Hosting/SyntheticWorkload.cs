using Microsoft.Extensions.Logging;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Hosting;

/// <summary>
/// The demo's traffic, by role. Workers send logs faster than the logger reads them (its layout caps
/// inbound reads), so their buffers to the logger fill and overflow within seconds, while events to the
/// manager and proxies flow freely. Publishes in ticks of 100 ms; a rate that is not a multiple of 10 is spread over
/// the ticks (<see cref="MessagesInTick"/>), so 5/s is one message every other tick rather than none.
/// </summary>
internal sealed class SyntheticWorkload : IAsyncDisposable
{
    public const string LogsTopic = "spillway/logs/";
    public const string EventsTopic = "spillway/events/";
    public const string ControlTopic = "spillway/control";

    private static readonly string Filler = new('x', 48);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IDisposable> _subscriptions = new();
    private Task _loop = Task.CompletedTask;
    private long _received;

    private SyntheticWorkload() { }

    /// <summary>Messages per second this role publishes, per topic.</summary>
    public static IReadOnlyList<(string Topic, int PerSecond)> PublishPlan(NodeSpec node) => node.Role switch
    {
        NodeRole.Worker => [(LogsTopic + node.Name, 600), (EventsTopic + node.Name, 100)],
        NodeRole.Proxy => [(LogsTopic + node.Name, 100)],
        NodeRole.Manager => [(LogsTopic + node.Name, 50), (ControlTopic, 5)],
        _ => [],
    };

    /// <summary>Topic prefixes this role consumes.</summary>
    public static IReadOnlyList<string> Consumes(NodeRole role) => role switch
    {
        NodeRole.Logger => [LogsTopic],
        NodeRole.Manager or NodeRole.Proxy => [EventsTopic],
        NodeRole.Worker => [ControlTopic],
        _ => [],
    };

    public const int TicksPerSecond = 10;

    /// <summary>
    /// Messages to publish in tick <paramref name="tick"/> (0-based) for a rate of <paramref name="perSecond"/>: the
    /// difference of the running totals, so every second of ticks publishes exactly <paramref name="perSecond"/>.
    /// </summary>
    public static int MessagesInTick(int perSecond, long tick) =>
        (int)(perSecond * (tick + 1) / TicksPerSecond - perSecond * tick / TicksPerSecond);

    public static SyntheticWorkload Start(SpillwayEndpoint endpoint, NodeSpec node, ILogger logger)
    {
        var workload = new SyntheticWorkload();
        foreach (var prefix in Consumes(node.Role))
            workload._subscriptions.Add(endpoint.Subscribe(prefix, (_, _) => Interlocked.Increment(ref workload._received)));
        var plan = PublishPlan(node);
        logger.LogInformation("{Node}: synthetic workload: publishes {Plan}; consumes {Consumes}", node.Name,
            plan.Count == 0 ? "nothing" : string.Join(", ", plan.Select(p => $"{p.Topic} at {p.PerSecond}/s")),
            string.Join(", ", Consumes(node.Role)));
        workload._loop = Task.Run(() => workload.RunAsync(endpoint, plan, workload._stop.Token));
        return workload;
    }

    private async Task RunAsync(SpillwayEndpoint endpoint, IReadOnlyList<(string Topic, int PerSecond)> plan, CancellationToken token)
    {
        if (plan.Count == 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / TicksPerSecond));
        ulong seq = 0;
        long tick = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                var now = DateTimeOffset.UtcNow;
                var timestamp = new TimestampValue((now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100);
                foreach (var (topic, perSecond) in plan)
                    for (var i = MessagesInTick(perSecond, tick); i > 0; i--)
                        endpoint.Publish(topic, new VectorValue(new CountValue(seq++), timestamp, new StringValue(Filler)));
                tick++;
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        foreach (var s in _subscriptions) s.Dispose();
    }
}
