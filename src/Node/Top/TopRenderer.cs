using System.Globalization;
using System.Text;
using Spillway.Telemetry.Export;

namespace Spillway.Node.Top;

/// <summary>
/// Renders one <c>top</c> screen from the latest poll (and the one before it, for overflow rates). Pure: the output depends
/// only on the arguments (the clock shown is the latest <see cref="NodeStatus.At"/>). Lines end with <c>\n</c>; no line is
/// longer than the width (columns are narrowed or dropped, then lines truncated with <c>~</c>). Without <c>ansi</c> the
/// text has no escape sequences at all; with it, overflowing rows and down nodes are red. It never clears the screen.
/// </summary>
public static class TopRenderer
{
    /// <summary>Cells of the fill bar when the width allows.</summary>
    public const int MaxBarCells = 20;

    /// <summary>Narrowest fill bar before other columns are dropped.</summary>
    public const int MinBarCells = 10;

    /// <summary>Marks a truncated line or peer name.</summary>
    public const char TruncationMark = '~';

    private const string Red = "\u001b[31m";
    private const string Reset = "\u001b[0m";
    internal const int Indent = 2;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Renders the screen from two polls: rates over the time between them, no hold, no start-up grace.</summary>
    /// <param name="current">The latest poll, one status per node, in display order.</param>
    /// <param name="previous">The poll before it (matched by node name), or null; rates are "-" without it.</param>
    /// <param name="width">Terminal width in columns (at least 1).</param>
    /// <param name="ansi">Highlight overflowing rows and down nodes in red.</param>
    public static string Render(IReadOnlyList<NodeStatus> current, IReadOnlyList<NodeStatus>? previous, int width, bool ansi = false)
    {
        ArgumentNullException.ThrowIfNull(current);
        // The window spans the two polls, so the rate is their difference over the time between them.
        var latest = current.Where(c => c is not null).Select(c => c.At).DefaultIfEmpty().Max();
        var earliest = previous?.Where(p => p is not null).Select(p => p.At).DefaultIfEmpty(latest).Min() ?? latest;
        var window = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((latest - earliest).TotalSeconds)));
        var history = new TopHistory(window, hold: TimeSpan.Zero, startupGrace: TimeSpan.Zero);
        if (previous is not null)
        {
            // Only the previous statuses of nodes still shown, matched by name.
            var names = current.Where(c => c is not null).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            history.Add(previous.Where(p => p is not null && names.Contains(p.Name)).GroupBy(p => p.Name).Select(g => g.First()).ToArray());
        }
        foreach (var status in current) ArgumentNullException.ThrowIfNull(status, nameof(current));
        history.Add(current);
        return Render(current, history, width, int.MaxValue, ansi);
    }

    /// <summary>Renders the screen.</summary>
    /// <param name="current">The latest poll, one status per node, in display order; already added to <paramref name="history"/>.</param>
    /// <param name="history">Earlier polls: smoothed rates, held marks, which nodes are still starting.</param>
    /// <param name="width">Terminal width in columns (at least 1).</param>
    /// <param name="height">Terminal height in lines: blank lines go first, then the last lines, replaced by a line saying how many.</param>
    /// <param name="ansi">Highlight overflowing rows and down nodes in red.</param>
    /// <param name="restarts">How often each node was restarted by whoever runs it (the demo), by node name; nodes not
    /// listed (or listed with 0) show no mark. Shown on the node's line as <c>restarts N</c>, before the endpoint so that a
    /// narrow screen cuts the endpoint first.</param>
    public static string Render(IReadOnlyList<NodeStatus> current, TopHistory history, int width, int height, bool ansi,
        IReadOnlyDictionary<string, int>? restarts = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);

        var now = current.Count == 0 ? DateTimeOffset.MinValue : current.Max(s => s.At);
        // Build every row first so the columns line up across all node blocks.
        var blocks = new List<(NodeStatus Status, List<TopRow> Rows)>(current.Count);
        foreach (var status in current)
        {
            ArgumentNullException.ThrowIfNull(status, nameof(current));
            blocks.Add((status, BuildRows(status, history, now)));
        }
        var allRows = blocks.SelectMany(b => b.Rows).ToList();
        var layout = TopTableLayout.Fit(allRows, width);

        var lines = new List<(string Text, bool Hot)>();
        lines.Add((Header(current, history), false));
        lines.Add((Summary(blocks, history), allRows.Any(r => r.Hot)));
        lines.Add(("", false));
        if (current.Count == 0) lines.Add(("(no nodes)", false));
        if (allRows.Count > 0) lines.Add((layout.HeaderLine(), false));

        bool firstBlock = true;
        foreach (var (status, rows) in blocks)
        {
            if (!firstBlock) lines.Add(("", false));
            firstBlock = false;
            lines.Add((NodeLine(status, restarts?.GetValueOrDefault(status.Name) ?? 0), false));
            if (status.IsDown || status.Report is null)
            {
                lines.Add(history.IsStarting(status.Name, now)
                    ? (new string(' ', Indent) + "starting (no answer yet)", false)
                    : (new string(' ', Indent) + "DOWN: " + Clean(status.Error ?? "no report"), true));
                continue;
            }
            if (rows.Count == 0) lines.Add((new string(' ', Indent) + "(no peerings)", false));
            foreach (var row in rows) lines.Add((layout.Format(row), row.Hot));
            string? clients = ClientsLine(status.Report);
            if (clients is not null) lines.Add((clients, false));
        }
        FitHeight(lines, height);

        var sb = new StringBuilder();
        foreach (var (text, hot) in lines)
        {
            string fitted = Truncate(text, width);
            if (ansi && hot && fitted.Length > 0) sb.Append(Red).Append(fitted).Append(Reset);
            else sb.Append(fitted);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Too tall: drop the blank lines between node blocks, then cut the end and say how much is hidden.</summary>
    private static void FitHeight(List<(string Text, bool Hot)> lines, int height)
    {
        for (int i = lines.Count - 1; i > 3 && lines.Count > height; i--)
            if (lines[i].Text.Length == 0) lines.RemoveAt(i);
        if (lines.Count <= height) return;
        int hidden = lines.Count - height + 1;
        lines.RemoveRange(height - 1, hidden);
        lines.Add(($"{TruncationMark} {hidden.ToString(Inv)} more lines; enlarge the window", false));
    }

    /// <summary>
    /// The line that names the culprit: the reader the most messages are lost to and how many peerings overflow into it,
    /// e.g. <c>logger reads slower than 2 peers send: 640 msg/s lost (worker-1, worker-2)</c>, then other such readers.
    /// </summary>
    internal static string Summary(IReadOnlyList<(NodeStatus Status, List<TopRow> Rows)> blocks, TopHistory history)
    {
        var readers = blocks
            .SelectMany(b => b.Rows.Where(r => r.Hot && r.Overflowing).Select(r => (Sender: b.Status.Name, Reader: r.Peer, r.RateValue)))
            .GroupBy(x => x.Reader, StringComparer.Ordinal)
            .Select(g => (Reader: g.Key, Senders: g.Select(x => x.Sender).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
                Lost: g.Sum(x => x.RateValue ?? 0)))
            .OrderByDescending(r => r.Lost).ThenBy(r => r.Reader, StringComparer.Ordinal)
            .ToList();
        if (readers.Count == 0) return $"no overflows in the last {((long)Math.Max(history.Hold.TotalSeconds, history.Window.TotalSeconds)).ToString(Inv)} s";
        var first = readers[0];
        var text = new StringBuilder()
            .Append(first.Reader).Append(" reads slower than ").Append(first.Senders.Length.ToString(Inv))
            .Append(first.Senders.Length == 1 ? " peer sends: " : " peers send: ")
            .Append(first.Lost.ToString("0", Inv)).Append(" msg/s lost")
            .Append(" (").Append(string.Join(", ", first.Senders)).Append(')');
        foreach (var other in readers.Skip(1))
            text.Append("; ").Append(other.Reader).Append(' ').Append(other.Lost.ToString("0", Inv)).Append(" msg/s");
        return text.ToString();
    }

    /// <summary>
    /// The fill bar of <paramref name="queued"/> against <paramref name="capacity"/>: <c>[</c>, <paramref name="cells"/> cells
    /// of <c>#</c> (filled, rounded down) or <c>.</c>, <c>]</c>, a space and the percentage (rounded down, right-aligned in
    /// four characters), e.g. <c>[#######.............]  35%</c>. Values are clamped to 0..capacity; capacity &lt; 1 shows empty.
    /// </summary>
    public static string FillBar(int queued, int capacity, int cells = MaxBarCells)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cells, 1);
        long q = capacity < 1 ? 0 : Math.Clamp(queued, 0, capacity);
        long filled = capacity < 1 ? 0 : q * cells / capacity;
        long percent = capacity < 1 ? 0 : q * 100 / capacity;
        var sb = new StringBuilder(cells + 7);
        sb.Append('[').Append('#', (int)filled).Append('.', cells - (int)filled).Append(']').Append(' ');
        sb.Append((percent.ToString(Inv) + "%").PadLeft(4));
        return sb.ToString();
    }

    /// <summary>
    /// Overflows per second between two polls, or null when unknown: no previous value, no time elapsed, or the counter went
    /// backwards (the node restarted).
    /// </summary>
    public static double? OverflowRate(long? previousOverflows, long currentOverflows, TimeSpan elapsed)
    {
        if (previousOverflows is not long before || elapsed <= TimeSpan.Zero || currentOverflows < before) return null;
        return (currentOverflows - before) / elapsed.TotalSeconds;
    }

    /// <summary>How <see cref="OverflowRate"/> is shown: one decimal and <c>/s</c>, or <c>-</c> when unknown.</summary>
    public static string FormatRate(double? rate) =>
        rate is double r ? r.ToString("0.0", Inv) + "/s" : "-";

    /// <summary>The peer column text: the name, or <c>(unnamed) address</c>.</summary>
    public static string PeerLabel(PeerReportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Name is { Length: > 0 } name ? Clean(name) : "(unnamed) " + Clean(row.Address);
    }

    /// <summary>The direction column text: <c>dialed</c> for initiated peerings, <c>accepted</c>, or the raw value.</summary>
    public static string DirectionLabel(string direction) => direction switch
    {
        PeerReportRow.Initiated => "dialed",
        PeerReportRow.Accepted => "accepted",
        _ => Clean(direction),
    };

    private static string Header(IReadOnlyList<NodeStatus> current, TopHistory history)
    {
        int up = current.Count(s => !s.IsDown && s.Report is not null);
        string time = current.Count == 0 ? "--:--:--" : current.Max(s => s.At).ToString("HH:mm:ss", Inv);
        return $"spillway top  {time}  nodes up {up}/{current.Count}  rates over {((long)Math.Min(history.Window.TotalSeconds, 99999)).ToString(Inv)} s";
    }

    private static string NodeLine(NodeStatus status, int restarts)
    {
        var sb = new StringBuilder(Clean(status.Name));
        if (restarts > 0) sb.Append("  restarts ").Append(restarts.ToString(Inv));
        if (status.Report is { } report && !status.IsDown)
        {
            if (!string.Equals(report.Node, status.Name, StringComparison.Ordinal))
                sb.Append("  (reports as ").Append(Clean(report.Node)).Append(')');
            sb.Append("  endpoint ").Append(Clean(report.Endpoint));
            sb.Append("  peers ").Append(report.Peers.Count.ToString(Inv));
        }
        return sb.ToString();
    }

    private static string? ClientsLine(PeersReport report)
    {
        if (report.Clients.Count == 0) return null;
        int maxRecent = report.Clients.Max(c => c.RecentMax);
        long overflows = report.Clients.Sum(c => c.Overflows);
        return new string(' ', Indent)
            + $"websocket clients: {report.Clients.Count.ToString(Inv)}  recent max: {maxRecent.ToString(Inv)}  overflows: {overflows.ToString(Inv)}";
    }

    private static List<TopRow> BuildRows(NodeStatus status, TopHistory history, DateTimeOffset now)
    {
        var rows = new List<TopRow>();
        if (status.IsDown || status.Report is null) return rows;

        var ordered = status.Report.Peers
            .OrderBy(p => p.Name is { Length: > 0 } ? 0 : 1)
            .ThenBy(p => p.Name ?? p.Address, StringComparer.Ordinal)
            .ThenBy(p => p.Endpoint, StringComparer.Ordinal);
        foreach (var p in ordered)
        {
            double? rate = history.Rate(status.Name, Key(p));
            bool overflowing = rate > 0 || history.LastOverflow(status.Name, Key(p)) is { } last && now - last < history.Hold;
            bool hot = overflowing || (p.Capacity > 0 && p.Queued >= p.Capacity);
            rows.Add(new TopRow(
                PeerLabel(p),
                DirectionLabel(p.Direction),
                p.Queued,
                p.Capacity,
                p.Queued.ToString(Inv) + "/" + p.Capacity.ToString(Inv),
                p.RecentMax.ToString(Inv),
                p.Overflows.ToString(Inv),
                FormatRate(rate),
                p.Disconnects.ToString(Inv),
                Clean(p.Policy),
                hot)
            { Overflowing = overflowing, RateValue = rate });
        }
        return rows;
    }

    /// <summary>Rates match a peer across polls by name when named (names survive re-peering), else by endpoint id.</summary>
    internal static string Key(PeerReportRow p) => p.Name is { Length: > 0 } name ? "name:" + name : "endpoint:" + p.Endpoint;

    internal static string Truncate(string text, int width) =>
        text.Length <= width ? text : width == 1 ? TruncationMark.ToString() : text[..(width - 1)] + TruncationMark;

    /// <summary>Replaces control characters (escape sequences from a remote document) so the output stays plain text.</summary>
    private static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (!text.Any(char.IsControl)) return text;
        return string.Create(text.Length, text, static (span, s) =>
        {
            for (int i = 0; i < s.Length; i++) span[i] = char.IsControl(s[i]) ? '?' : s[i];
        });
    }
}
