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

    /// <summary>Renders the screen.</summary>
    /// <param name="current">The latest poll, one status per node, in display order.</param>
    /// <param name="previous">The poll before it (matched by node name), or null; rates are "-" without it.</param>
    /// <param name="width">Terminal width in columns (at least 1).</param>
    /// <param name="ansi">Highlight overflowing rows and down nodes in red.</param>
    public static string Render(IReadOnlyList<NodeStatus> current, IReadOnlyList<NodeStatus>? previous, int width, bool ansi = false)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);

        var previousByName = new Dictionary<string, NodeStatus>(StringComparer.Ordinal);
        if (previous is not null)
            foreach (var status in previous)
                if (status is not null) previousByName.TryAdd(status.Name, status);

        // Build every row first so the columns line up across all node blocks.
        var blocks = new List<(NodeStatus Status, List<TopRow> Rows)>(current.Count);
        foreach (var status in current)
        {
            ArgumentNullException.ThrowIfNull(status, nameof(current));
            previousByName.TryGetValue(status.Name, out var before);
            blocks.Add((status, BuildRows(status, before)));
        }
        var allRows = blocks.SelectMany(b => b.Rows).ToList();
        var layout = TopTableLayout.Fit(allRows, width);

        var lines = new List<(string Text, bool Hot)>();
        lines.Add((Header(current), false));
        lines.Add(("", false));
        if (current.Count == 0) lines.Add(("(no nodes)", false));
        if (allRows.Count > 0) lines.Add((layout.HeaderLine(), false));

        bool firstBlock = true;
        foreach (var (status, rows) in blocks)
        {
            if (!firstBlock) lines.Add(("", false));
            firstBlock = false;
            lines.Add((NodeLine(status), false));
            if (status.IsDown || status.Report is null)
            {
                lines.Add((new string(' ', Indent) + "DOWN: " + Clean(status.Error ?? "no report"), true));
                continue;
            }
            if (rows.Count == 0) lines.Add((new string(' ', Indent) + "(no peerings)", false));
            foreach (var row in rows) lines.Add((layout.Format(row), row.Hot));
            string? clients = ClientsLine(status.Report);
            if (clients is not null) lines.Add((clients, false));
        }

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

    private static string Header(IReadOnlyList<NodeStatus> current)
    {
        int up = current.Count(s => !s.IsDown && s.Report is not null);
        string time = current.Count == 0 ? "--:--:--" : current.Max(s => s.At).ToString("HH:mm:ss", Inv);
        return $"spillway top  {time}  nodes up {up}/{current.Count}";
    }

    private static string NodeLine(NodeStatus status)
    {
        var sb = new StringBuilder(Clean(status.Name));
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

    private static List<TopRow> BuildRows(NodeStatus status, NodeStatus? before)
    {
        var rows = new List<TopRow>();
        if (status.IsDown || status.Report is null) return rows;

        Dictionary<string, long>? previousOverflows = null;
        TimeSpan elapsed = TimeSpan.Zero;
        if (before is { IsDown: false, Report: { } previousReport })
        {
            previousOverflows = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var p in previousReport.Peers) previousOverflows.TryAdd(Key(p), p.Overflows);
            elapsed = status.At - before.At;
        }

        var ordered = status.Report.Peers
            .OrderBy(p => p.Name is { Length: > 0 } ? 0 : 1)
            .ThenBy(p => p.Name ?? p.Address, StringComparer.Ordinal)
            .ThenBy(p => p.Endpoint, StringComparer.Ordinal);
        foreach (var p in ordered)
        {
            long? prior = previousOverflows is not null && previousOverflows.TryGetValue(Key(p), out long v) ? v : null;
            double? rate = OverflowRate(prior, p.Overflows, elapsed);
            bool hot = rate > 0 || (p.Capacity > 0 && p.Queued >= p.Capacity);
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
                hot));
        }
        return rows;
    }

    /// <summary>Rates match a peer across polls by name when named (names survive re-peering), else by endpoint id.</summary>
    private static string Key(PeerReportRow p) => p.Name is { Length: > 0 } name ? "name:" + name : "endpoint:" + p.Endpoint;

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
