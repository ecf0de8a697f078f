using Spillway.Node.Top;
using Spillway.Telemetry.Export;
using static Spillway.Node.Tests.Top.TopTestData;

namespace Spillway.Node.Tests.Top;

/// <summary>
/// The live view over several polls (<see cref="TopHistory"/>): exact screens at 80x24 with smoothed rates, the summary that
/// names the slow reader, held marks and starting nodes.
/// </summary>
public sealed class TopViewTests
{
    private readonly TopHistory _history = new(); // 10 s window, 30 s hold, 30 s start-up grace

    private static PeerReportRow ToLogger(long overflows, string endpoint) =>
        Peer("logger", queued: 1000, capacity: 1000, overflows: overflows, endpoint: endpoint, recentMax: 1000);

    /// <summary>One poll at second <paramref name="second"/>; each worker's overflow counter to the logger is <paramref name="overflows"/>(second).</summary>
    private IReadOnlyList<NodeStatus> Poll(int second, Func<int, long> overflows, bool loggerUp = true)
    {
        var at = T0.AddSeconds(second);
        IReadOnlyList<NodeStatus> poll =
        [
            loggerUp ? Up("logger", at, Peer("worker-1", endpoint: "w1", direction: PeerReportRow.Accepted),
                    Peer("worker-2", endpoint: "w2", direction: PeerReportRow.Accepted))
                : NodeStatus.Down("logger", "connection refused", at),
            Up("worker-1", at, ToLogger(overflows(second), "lg"), Peer("worker-2", endpoint: "w2")),
            Up("worker-2", at, ToLogger(overflows(second), "lg"), Peer("worker-1", endpoint: "w1", direction: PeerReportRow.Accepted)),
        ];
        _history.Add(poll);
        return poll;
    }

    private string Screen(IReadOnlyList<NodeStatus> poll) => TopRenderer.Render(poll, _history, 80, 24, ansi: false);

    [Fact]
    public void A_node_that_has_not_answered_yet_is_starting_not_down()
    {
        var screen = Screen(Poll(0, _ => 0, loggerUp: false));
        Assert.Equal(
        [
            "spillway top  12:00:00  nodes up 2/3  rates over 10 s",
            "no overflows in the last 30 s",
            "",
            "  PEER      DIR       FILL                QUEUED/CAP  OVERFLOWS      RATE",
            "logger",
            "  starting (no answer yet)",
            "",
            "worker-1  endpoint ep-worker-1  peers 2",
            "  logger    dialed    [##########] 100%    1000/1000          0         -",
            "  worker-2  dialed    [..........]   0%       0/1000          0         -",
            "",
            "worker-2  endpoint ep-worker-2  peers 2",
            "  logger    dialed    [##########] 100%    1000/1000          0         -",
            "  worker-1  accepted  [..........]   0%       0/1000          0         -",
        ], Lines(screen));
    }

    [Fact]
    public void Rates_are_smoothed_over_ten_seconds_and_the_summary_names_the_slow_reader()
    {
        // Bursty counters: 3200 overflows every 10 s in uneven steps; the one-poll difference would jump between 0 and 1600/s.
        long Bursty(int s) => 320L * s - (s % 5 == 0 ? 0 : 320L * (s % 5));
        IReadOnlyList<NodeStatus> poll = [];
        for (int s = 0; s <= 20; s++) poll = Poll(s, Bursty);
        var lines = Lines(Screen(poll));
        Assert.Equal(
        [
            "spillway top  12:00:20  nodes up 3/3  rates over 10 s",
            "logger reads slower than 2 peers send: 640 msg/s lost (worker-1, worker-2)",
            "",
            "  PEER      DIR       FILL                QUEUED/CAP  OVERFLOWS      RATE",
            "logger  endpoint ep-logger  peers 2",
            "  worker-1  accepted  [..........]   0%       0/1000          0     0.0/s",
            "  worker-2  accepted  [..........]   0%       0/1000          0     0.0/s",
            "",
            "worker-1  endpoint ep-worker-1  peers 2",
            "  logger    dialed    [##########] 100%    1000/1000       6400   320.0/s",
            "  worker-2  dialed    [..........]   0%       0/1000          0     0.0/s",
            "",
            "worker-2  endpoint ep-worker-2  peers 2",
            "  logger    dialed    [##########] 100%    1000/1000       6400   320.0/s",
            "  worker-1  accepted  [..........]   0%       0/1000          0     0.0/s",
        ], lines);
    }

    [Fact]
    public void A_peering_stays_marked_for_the_hold_time_after_its_last_overflow()
    {
        for (int s = 0; s <= 5; s++) Poll(s, t => 100L * t);
        IReadOnlyList<NodeStatus> poll = [];
        for (int s = 6; s <= 20; s++) poll = Poll(s, _ => 500); // stopped at 12:00:05
        Assert.Equal("logger reads slower than 2 peers send: 0 msg/s lost (worker-1, worker-2)", Lines(Screen(poll))[1]);
        var coloured = TopRenderer.Render(poll, _history, 80, 24, ansi: true);
        Assert.Contains("\u001b[31m  logger    dialed", coloured);

        for (int s = 21; s <= 35; s++) poll = Poll(s, _ => 500); // 30 s after the last overflow
        Assert.Equal("no overflows in the last 30 s", Lines(Screen(poll))[1]);
    }

    [Fact]
    public void A_screen_taller_than_the_terminal_is_cut_with_a_note()
    {
        var poll = Poll(0, _ => 0);
        var lines = Lines(TopRenderer.Render(poll, _history, 80, 10, ansi: false));
        Assert.Equal(10, lines.Length);
        Assert.Equal("worker-1  endpoint ep-worker-1  peers 2", lines[7]); // blank lines between blocks went first
        Assert.Equal("  logger    dialed    [##########] 100%    1000/1000          0         -", lines[8]);
        Assert.Equal("~ 4 more lines; enlarge the window", lines[9]);
        Assert.All(lines, l => Assert.True(l.Length <= 80, l));
    }

    [Fact]
    public void Restart_counts_stand_on_the_node_lines_of_restarted_nodes_only()
    {
        // The demo restarted the logger twice and worker-2 once; worker-2 is down again (crashed, restart pending).
        Poll(0, _ => 0);
        var at = T0.AddSeconds(1);
        IReadOnlyList<NodeStatus> poll =
        [
            Up("logger", at, Peer("worker-1", endpoint: "w1", direction: PeerReportRow.Accepted)),
            Up("worker-1", at, ToLogger(0, "lg")),
            NodeStatus.Down("worker-2", "connection refused", at),
        ];
        _history.Add(poll);
        var restarts = new Dictionary<string, int> { ["logger"] = 2, ["worker-1"] = 0, ["worker-2"] = 1 };
        var lines = Lines(TopRenderer.Render(poll, _history, 80, 24, ansi: false, restarts));
        Assert.Equal(
        [
            "spillway top  12:00:01  nodes up 2/3  rates over 10 s",
            "no overflows in the last 30 s",
            "",
            "  PEER      DIR       FILL                QUEUED/CAP  OVERFLOWS      RATE",
            "logger  restarts 2  endpoint ep-logger  peers 1",
            "  worker-1  accepted  [..........]   0%       0/1000          0     0.0/s",
            "",
            "worker-1  endpoint ep-worker-1  peers 1",
            "  logger    dialed    [##########] 100%    1000/1000          0     0.0/s",
            "",
            "worker-2  restarts 1",
            "  DOWN: connection refused",
        ], lines);
    }

    [Fact]
    public void The_restart_mark_survives_a_long_endpoint_at_80_columns()
    {
        // Real endpoint ids are 32 hex digits: the node line still fits, and a narrower screen cuts the endpoint, not the mark.
        var report = new PeersReport("worker-1", "0123456789abcdef0123456789abcdef", [Peer("logger"), Peer("manager", endpoint: "m")], []);
        IReadOnlyList<NodeStatus> poll = [NodeStatus.Up("worker-1", report, T0)];
        _history.Add(poll);
        var restarts = new Dictionary<string, int> { ["worker-1"] = 12 };
        Assert.Equal("worker-1  restarts 12  endpoint 0123456789abcdef0123456789abcdef  peers 2",
            Lines(TopRenderer.Render(poll, _history, 80, 24, ansi: false, restarts))[4]);
        Assert.Equal("worker-1  restarts 12  endpoint 012345678~",
            Lines(TopRenderer.Render(poll, _history, 42, 24, ansi: false, restarts))[4]);
    }

    private static string[] Lines(string screen) => screen[..^1].Split('\n');
}
