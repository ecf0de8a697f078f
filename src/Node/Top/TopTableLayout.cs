using System.Text;

namespace Spillway.Node.Top;

/// <summary>Column widths and which columns are shown, chosen to fit the width.</summary>
internal sealed class TopTableLayout
{
    private const int Gap = 2;
    private const int PreferredMinPeer = 24;
    private const int MidBarCells = 15;
    private const int MinPeer = 8;

    private static readonly TopColumn[] Order =
    [
        TopColumn.Direction, TopColumn.Fill, TopColumn.QueuedCapacity, TopColumn.RecentMax,
        TopColumn.Overflows, TopColumn.Rate, TopColumn.Disconnects, TopColumn.Policy,
    ];

    // Dropped first to last when even the narrow bar and peer column do not fit.
    private static readonly TopColumn[] DropOrder =
        [TopColumn.Policy, TopColumn.Disconnects, TopColumn.RecentMax, TopColumn.Direction, TopColumn.QueuedCapacity];

    private readonly Dictionary<TopColumn, int> _widths = new();
    private readonly HashSet<TopColumn> _shown = [.. Order];
    private int _peerWidth;
    private int _barCells = TopRenderer.MaxBarCells;

    public static TopTableLayout Fit(IReadOnlyList<TopRow> rows, int width)
    {
        var layout = new TopTableLayout();
        layout._peerWidth = Math.Max("PEER".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Peer.Length));
        foreach (var col in Order)
        {
            // Room for typical values from the start, so columns do not shift as numbers grow.
            int w = Math.Max(HeaderOf(col).Length, MinWidth(col));
            foreach (var r in rows) w = Math.Max(w, col == TopColumn.Fill ? 0 : Value(r, col).Length);
            layout._widths[col] = w;
        }

        // Narrow the bar a little, then the peer column to a readable width, then the bar to its minimum;
        // only then drop the less important columns and finally narrow the peer column further.
        layout.ShrinkBar(width, MidBarCells);
        layout.ShrinkPeer(width, Math.Min(layout._peerWidth, PreferredMinPeer));
        layout.ShrinkBar(width, TopRenderer.MinBarCells);
        foreach (var col in DropOrder)
        {
            if (layout.Total() <= width) break;
            layout._shown.Remove(col);
        }
        layout.ShrinkPeer(width, Math.Min(layout._peerWidth, MinPeer));
        return layout;
    }

    public string HeaderLine()
    {
        var sb = new StringBuilder().Append(' ', TopRenderer.Indent).Append("PEER".PadRight(_peerWidth));
        foreach (var col in Order)
        {
            if (!_shown.Contains(col)) continue;
            sb.Append(' ', Gap);
            string h = HeaderOf(col);
            sb.Append(IsRightAligned(col) ? h.PadLeft(Width(col)) : h.PadRight(Width(col)));
        }
        return sb.ToString().TrimEnd();
    }

    public string Format(TopRow row)
    {
        var sb = new StringBuilder().Append(' ', TopRenderer.Indent).Append(TopRenderer.Truncate(row.Peer, _peerWidth).PadRight(_peerWidth));
        foreach (var col in Order)
        {
            if (!_shown.Contains(col)) continue;
            sb.Append(' ', Gap);
            string v = col == TopColumn.Fill ? TopRenderer.FillBar(row.Queued, row.Capacity, _barCells) : Value(row, col);
            sb.Append(IsRightAligned(col) ? v.PadLeft(Width(col)) : v.PadRight(Width(col)));
        }
        return sb.ToString().TrimEnd();
    }

    private void ShrinkBar(int width, int floor)
    {
        while (Total() > width && _barCells > floor) _barCells--;
    }

    private void ShrinkPeer(int width, int floor)
    {
        int excess = Total() - width;
        if (excess > 0) _peerWidth = Math.Max(floor, _peerWidth - excess);
    }

    private int Width(TopColumn col) => col == TopColumn.Fill ? _barCells + 7 : _widths[col];

    private int Total()
    {
        int total = TopRenderer.Indent + _peerWidth;
        foreach (var col in Order)
            if (_shown.Contains(col)) total += Gap + Width(col);
        return total;
    }

    private static int MinWidth(TopColumn col) => col switch
    {
        TopColumn.Direction => "accepted".Length,
        TopColumn.QueuedCapacity => "10000/10000".Length,
        TopColumn.Overflows => "100000000".Length,
        TopColumn.Rate => "1000.0/s".Length,
        TopColumn.Policy => "drop_oldest".Length,
        _ => 0,
    };

    private static bool IsRightAligned(TopColumn col) => col is not (TopColumn.Direction or TopColumn.Fill or TopColumn.Policy);

    private static string HeaderOf(TopColumn col) => col switch
    {
        TopColumn.Direction => "DIR",
        TopColumn.Fill => "FILL",
        TopColumn.QueuedCapacity => "QUEUED/CAP",
        TopColumn.RecentMax => "RECENT MAX",
        TopColumn.Overflows => "OVERFLOWS",
        TopColumn.Rate => "RATE",
        TopColumn.Disconnects => "DISC",
        _ => "POLICY",
    };

    private static string Value(TopRow r, TopColumn col) => col switch
    {
        TopColumn.Direction => r.Direction,
        TopColumn.QueuedCapacity => r.QueuedCapacity,
        TopColumn.RecentMax => r.RecentMax,
        TopColumn.Overflows => r.Overflows,
        TopColumn.Rate => r.Rate,
        TopColumn.Disconnects => r.Disconnects,
        TopColumn.Policy => r.Policy,
        _ => "",
    };
}
