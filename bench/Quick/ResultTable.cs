using System.Text;

namespace Spillway.Bench.Quick;

/// <summary>The one table the quick set prints: a markdown table, so a run can be pasted into bench/README.md as is.</summary>
internal sealed class ResultTable
{
    private readonly List<string[]> _rows = [];
    private static readonly string[] Header = ["measurement", "system", "median", "spread (reps)", "lost", "ratio / target"];

    public void Add(string measurement, string system, string median, string spread = "", string lost = "", string verdict = "") =>
        _rows.Add([measurement, system, median, spread, lost, verdict]);

    public string Render()
    {
        var widths = Header.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells) => text.Append("| ").AppendJoin(" | ", cells.Select((c, i) => c.PadRight(widths[i]))).AppendLine(" |");
        Line(Header);
        text.Append('|').AppendJoin('|', widths.Select(w => new string('-', w + 2))).AppendLine("|");
        foreach (var row in _rows) Line(row);
        return text.ToString();
    }
}
