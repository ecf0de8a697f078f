using System.Text.Json;
using System.Text.RegularExpressions;

namespace Spillway.EndToEnd.Tests;

/// <summary>One query of the Grafana dashboard: where it is and its PromQL with Grafana variables still in it.</summary>
public sealed record DashboardQuery(string Panel, string RefId, string Expr);

/// <summary>Reads the PromQL queries of dashboards/spillway.json and substitutes Grafana's template variables.</summary>
public static partial class DashboardQueries
{
    public static IReadOnlyList<DashboardQuery> Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var queries = new List<DashboardQuery>();
        Collect(document.RootElement, queries);
        return queries;
    }

    /// <summary>The dashboard's default time range as a PromQL duration (<c>now-30m</c> -> <c>30m</c>).</summary>
    public static string DefaultRange(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var from = document.RootElement.TryGetProperty("time", out var time) && time.TryGetProperty("from", out var f) ? f.GetString() : null;
        return from is not null && from.StartsWith("now-", StringComparison.Ordinal) ? from[4..] : "1h";
    }

    private static void Collect(JsonElement element, List<DashboardQuery> queries)
    {
        if (!element.TryGetProperty("panels", out var panels) || panels.ValueKind != JsonValueKind.Array) return;
        foreach (var panel in panels.EnumerateArray())
        {
            var title = panel.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
            if (panel.TryGetProperty("targets", out var targets) && targets.ValueKind == JsonValueKind.Array)
            {
                foreach (var target in targets.EnumerateArray())
                {
                    if (target.TryGetProperty("hide", out var hide) && hide.ValueKind == JsonValueKind.True) continue;
                    if (!target.TryGetProperty("expr", out var expr) || expr.GetString() is not { Length: > 0 } text) continue;
                    queries.Add(new DashboardQuery(title, target.TryGetProperty("refId", out var r) ? r.GetString() ?? "" : "", text));
                }
            }
            Collect(panel, queries); // rows hold their panels
        }
    }

    /// <summary>
    /// Replaces <c>$name</c>, <c>${name}</c>, <c>${name:format}</c> and <c>[[name]]</c> with <paramref name="values"/>;
    /// throws on a variable it has no value for.
    /// </summary>
    public static string Substitute(string expr, IReadOnlyDictionary<string, string> values) =>
        VariablePattern().Replace(expr, m =>
        {
            var name = m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Success ? m.Groups["b"].Value : m.Groups["c"].Value;
            return values.TryGetValue(name, out var value)
                ? value
                : throw new InvalidOperationException($"no test value for Grafana variable '{m.Value}' in: {expr}");
        });

    [GeneratedRegex(@"\$\{(?<a>\w+)(?::[^}]*)?\}|\[\[(?<b>\w+)(?::[^\]]*)?\]\]|\$(?<c>\w+)")]
    private static partial Regex VariablePattern();
}
