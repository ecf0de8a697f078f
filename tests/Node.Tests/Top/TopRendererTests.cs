using Spillway.Node.Top;
using Spillway.Telemetry.Export;
using static Spillway.Node.Tests.Top.TopTestData;

namespace Spillway.Node.Tests.Top;

public sealed class TopRendererTests
{
    private const int Wide = 200;

    private static string[] Lines(string screen)
    {
        Assert.EndsWith("\n", screen);
        return screen[..^1].Split('\n');
    }

    // Peer rows come after the header and summary lines (the summary may start with a peer's name).
    private static string RowOf(string screen, string peer) =>
        Assert.Single(Lines(screen).Skip(2), l => l.TrimStart().StartsWith(peer, StringComparison.Ordinal));

    [Theory]
    [InlineData(0, 1000, "[....................]   0%")]
    [InlineData(500, 1000, "[##########..........]  50%")]
    [InlineData(1000, 1000, "[####################] 100%")]
    [InlineData(350, 1000, "[#######.............]  35%")]
    [InlineData(999, 1000, "[###################.]  99%")]
    [InlineData(1, 8192, "[....................]   0%")]
    [InlineData(5000, 1000, "[####################] 100%")]
    [InlineData(-3, 1000, "[....................]   0%")]
    [InlineData(5, 0, "[....................]   0%")]
    public void FillBar_is_exact(int queued, int capacity, string expected) =>
        Assert.Equal(expected, TopRenderer.FillBar(queued, capacity));

    [Theory]
    [InlineData(0, "[....................]   0%")]
    [InlineData(500, "[##########..........]  50%")]
    [InlineData(1000, "[####################] 100%")]
    public void Row_shows_the_exact_bar_and_queued_over_capacity(int queued, string bar)
    {
        var now = new[] { Up("manager", T0, Peer("worker-1", queued: queued, capacity: 1000)) };
        string row = RowOf(TopRenderer.Render(now, null, Wide), "worker-1");
        Assert.Contains(bar, row);
        Assert.Contains($"{queued}/1000", row);
    }

    [Fact]
    public void Rate_is_computed_from_two_polls()
    {
        var before = new[] { Up("manager", T0, Peer("worker-1", overflows: 100)) };
        var now = new[] { Up("manager", T0.AddSeconds(2), Peer("worker-1", overflows: 160)) };
        string row = RowOf(TopRenderer.Render(now, before, Wide), "worker-1");
        Assert.Contains(" 160 ", row);
        Assert.Contains("30.0/s", row);
    }

    [Fact]
    public void Rate_is_a_dash_without_a_usable_previous_poll()
    {
        var now = new[] { Up("manager", T0.AddSeconds(2), Peer("worker-1", overflows: 160), Peer("worker-2", endpoint: "ep-2", overflows: 5)) };

        // No previous poll at all.
        Assert.DoesNotContain("/s", RowOf(TopRenderer.Render(now, null, Wide), "worker-1"));

        // Previous poll without this peer; counter went backwards (node restarted); previous poll had the node down.
        var before = new[] { Up("manager", T0, Peer("worker-2", endpoint: "ep-2", overflows: 9)) };
        string screen = TopRenderer.Render(now, before, Wide);
        Assert.DoesNotContain("/s", RowOf(screen, "worker-1"));
        Assert.DoesNotContain("/s", RowOf(screen, "worker-2"));
        Assert.Matches(@"\s-\s", RowOf(screen, "worker-1"));

        var wasDown = new[] { NodeStatus.Down("manager", "connection refused", T0) };
        Assert.DoesNotContain("/s", RowOf(TopRenderer.Render(now, wasDown, Wide), "worker-1"));
    }

    [Fact]
    public void Rate_matches_named_peers_by_name_and_unnamed_ones_by_endpoint()
    {
        // The named peer re-peered under a new endpoint id: still matched by name.
        // The unnamed peer is matched by endpoint id, never by its (changing) address.
        var before = new[]
        {
            Up("manager", T0,
                Peer("worker-1", endpoint: "old", overflows: 10),
                Peer(null, endpoint: "ext-1", address: "10.0.0.9:5000", overflows: 0)),
        };
        var now = new[]
        {
            Up("manager", T0.AddSeconds(4),
                Peer("worker-1", endpoint: "new", overflows: 30),
                Peer(null, endpoint: "ext-1", address: "10.0.0.9:5001", overflows: 2)),
        };
        string screen = TopRenderer.Render(now, before, Wide);
        Assert.Contains("5.0/s", RowOf(screen, "worker-1"));
        Assert.Contains("0.5/s", RowOf(screen, "(unnamed) 10.0.0.9:5001"));
    }

    [Fact]
    public void Zero_rate_is_shown_as_zero()
    {
        var before = new[] { Up("manager", T0, Peer("worker-1", overflows: 7)) };
        var now = new[] { Up("manager", T0.AddSeconds(1), Peer("worker-1", overflows: 7)) };
        Assert.Contains("0.0/s", RowOf(TopRenderer.Render(now, before, Wide), "worker-1"));
    }

    [Fact]
    public void Down_node_is_shown_with_its_error_and_not_omitted()
    {
        var now = new[]
        {
            Up("manager", T0, Peer("worker-1")),
            NodeStatus.Down("worker-2", "connection refused", T0),
            Up("logger-1", T0),
        };
        string screen = TopRenderer.Render(now, null, Wide);
        var lines = Lines(screen);
        Assert.StartsWith("spillway top  12:00:00  nodes up 2/3", lines[0]);
        int node = Array.FindIndex(lines, l => l == "worker-2");
        Assert.True(node > 0, screen);
        Assert.Equal("  DOWN: connection refused", lines[node + 1]);
        Assert.Contains("logger-1", screen);
        Assert.Contains("(no peerings)", screen);
    }

    [Fact]
    public void Unnamed_peer_row_shows_its_address()
    {
        var now = new[]
        {
            Up("manager", T0,
                Peer("worker-1", direction: PeerReportRow.Accepted),
                Peer(null, endpoint: "ext", address: "192.168.1.20:47000", direction: PeerReportRow.Initiated, policy: "disconnect",
                    disconnects: 3, recentMax: 77, queued: 12, capacity: 64)),
        };
        string screen = TopRenderer.Render(now, null, Wide);
        string row = RowOf(screen, "(unnamed) 192.168.1.20:47000");
        Assert.Contains("dialed", row);
        Assert.Contains("12/64", row);
        Assert.Contains(" 77 ", row);
        Assert.Contains(" 3 ", row);
        Assert.EndsWith("disconnect", row);
        Assert.Contains("accepted", RowOf(screen, "worker-1"));
        // Named peers come first.
        Assert.True(screen.IndexOf("worker-1", StringComparison.Ordinal) < screen.IndexOf("(unnamed)", StringComparison.Ordinal));
    }

    [Fact]
    public void Columns_line_up_across_nodes()
    {
        var now = new[]
        {
            Up("manager", T0, Peer("w", queued: 1, capacity: 10)),
            Up("logger-1", T0, Peer("a-much-longer-peer-name", queued: 12345, capacity: 65536)),
        };
        string screen = TopRenderer.Render(now, null, Wide);
        int a = RowOf(screen, "w ").IndexOf('[');
        int b = RowOf(screen, "a-much-longer-peer-name").IndexOf('[');
        Assert.Equal(a, b);
        Assert.Equal(a, Assert.Single(Lines(screen), l => l.Contains("FILL")).IndexOf("FILL", StringComparison.Ordinal));
    }

    [Fact]
    public void Clients_summary_line_appears_only_with_clients()
    {
        var clients = new[]
        {
            Peer(null, endpoint: "c1", recentMax: 40, overflows: 2),
            Peer(null, endpoint: "c2", recentMax: 120, overflows: 40),
        };
        var now = new[]
        {
            NodeStatus.Up("manager", new PeersReport("manager", "ep", [Peer("worker-1")], clients), T0),
            Up("logger-1", T0, Peer("manager")),
        };
        string screen = TopRenderer.Render(now, null, Wide);
        Assert.Single(Lines(screen), l => l == "  websocket clients: 2  recent max: 120  overflows: 42");
        Assert.Single(Lines(screen), l => l.Contains("websocket clients"));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(140)]
    [InlineData(120)]
    [InlineData(100)]
    [InlineData(80)]
    [InlineData(60)]
    [InlineData(40)]
    [InlineData(20)]
    [InlineData(5)]
    [InlineData(1)]
    public void Every_line_fits_the_width(int width)
    {
        var before = new[] { Up("manager", T0, Peer("worker-with-a-rather-long-name-1", overflows: 100)) };
        var now = new[]
        {
            NodeStatus.Up("manager",
                new PeersReport("manager", "ep-0123456789abcdef0123456789abcdef",
                    [
                        Peer("worker-with-a-rather-long-name-1", queued: 8192, capacity: 8192, overflows: 1234567, recentMax: 8192),
                        Peer(null, endpoint: "x", address: "[2001:db8::1234:5678]:65535", policy: "drop_newest"),
                    ],
                    [Peer(null, endpoint: "c", recentMax: 3)]),
                T0.AddSeconds(1)),
            NodeStatus.Down("worker-2", "no answer within 800 ms because of a very long explanation that goes on and on", T0),
        };
        string screen = TopRenderer.Render(now, before, width);
        foreach (var line in Lines(screen)) Assert.True(line.Length <= width, $"{line.Length} > {width}: '{line}'");
        if (width >= 60)
        {
            // At usable widths the essentials survive: the bar (possibly narrowed), overflows and the rate.
            string row = RowOf(screen, "worker-with");
            Assert.Matches(@"\[#{10,20}\] 100%", row);
            Assert.Contains("1234567", row);
            Assert.Contains("/s", row);
        }
        if (width >= 160) Assert.Contains("[####################] 100%", screen);
    }

    [Fact]
    public void Output_is_ansi_free_unless_asked_and_overflowing_rows_are_red()
    {
        var before = new[] { Up("manager", T0, Peer("hot", overflows: 1), Peer("cold", endpoint: "ep-2")) };
        var now = new[] { Up("manager", T0.AddSeconds(1), Peer("hot", overflows: 5), Peer("cold", endpoint: "ep-2")), NodeStatus.Down("w", "x", T0) };

        string plain = TopRenderer.Render(now, before, Wide);
        Assert.DoesNotContain('\u001b', plain);

        string colored = TopRenderer.Render(now, before, Wide, ansi: true);
        Assert.DoesNotContain("\u001b[2J", colored);
        Assert.StartsWith("\u001b[31m", RowOf(colored, "\u001b[31m  hot").TrimStart());
        Assert.DoesNotContain('\u001b', RowOf(colored, "cold"));
        Assert.Contains("\u001b[31m  DOWN: x\u001b[0m", colored);
    }

    [Fact]
    public void Control_characters_from_a_node_are_neutralised()
    {
        var now = new[] { Up("manager", T0, Peer(null, address: "\u001b[2Jevil:1", policy: "drop\u001b[31m")) };
        string screen = TopRenderer.Render(now, null, Wide);
        Assert.DoesNotContain('\u001b', screen);
        Assert.Contains("(unnamed) ?[2Jevil:1", screen);
    }

    [Fact]
    public void Render_is_pure()
    {
        var before = new[] { Up("manager", T0, Peer("worker-1", overflows: 1)) };
        var now = new[] { Up("manager", T0.AddSeconds(3), Peer("worker-1", overflows: 4)), NodeStatus.Down("x", "boom", T0) };
        Assert.Equal(TopRenderer.Render(now, before, 90, ansi: true), TopRenderer.Render(now, before, 90, ansi: true));
    }

    [Fact]
    public void No_nodes_still_renders_a_header()
    {
        string screen = TopRenderer.Render([], null, 80);
        Assert.Equal("spillway top  --:--:--  nodes up 0/0  rates over 1 s\nno overflows in the last 1 s\n\n(no nodes)\n", screen);
    }
}
