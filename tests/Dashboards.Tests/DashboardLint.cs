using System.Text.Json;
using System.Text.RegularExpressions;

namespace Spillway.Dashboards.Tests;

/// <summary>Lints a Grafana dashboard JSON document; every rule returns human-readable problems.</summary>
public static partial class DashboardLint
{
    public const string DatasourceVariable = "datasource";

    [GeneratedRegex(@"^\s*label_values\(\s*(?<selector>.+?)\s*,\s*(?<label>[A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$", RegexOptions.Singleline)]
    private static partial Regex LabelValues();

    public static IReadOnlyList<string> Check(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        return Check(doc.RootElement);
    }

    public static IReadOnlyList<string> Check(JsonElement root)
    {
        var problems = new List<string>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("dashboard is not a JSON object");
            return problems;
        }

        CheckDashboardHeader(root, problems);
        CheckTemplating(root, problems);
        CheckPanels(root, problems);
        CheckEveryPrometheusDatasourceIsTheVariable(root, "$", problems);
        return problems;
    }

    /// <summary>All panels, including those nested in (collapsed) rows.</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement root)
    {
        if (!root.TryGetProperty("panels", out var panels) || panels.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var p in panels.EnumerateArray())
        {
            yield return p;
            if (p.TryGetProperty("panels", out var nested) && nested.ValueKind == JsonValueKind.Array)
            {
                foreach (var n in nested.EnumerateArray())
                {
                    yield return n;
                }
            }
        }
    }

    /// <summary>True for "${datasource}", "$datasource" or {"uid": "${datasource}"} (any type).</summary>
    public static bool IsDatasourceVariable(JsonElement ds) => ds.ValueKind switch
    {
        JsonValueKind.String => IsVariableRef(ds.GetString()),
        JsonValueKind.Object => ds.TryGetProperty("uid", out var uid) && uid.ValueKind == JsonValueKind.String && IsVariableRef(uid.GetString()),
        _ => false,
    };

    private static bool IsVariableRef(string? s) => s is "${" + DatasourceVariable + "}" or "$" + DatasourceVariable;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static void CheckDashboardHeader(JsonElement root, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(Str(root, "title")))
        {
            problems.Add("dashboard has no title");
        }

        if (string.IsNullOrWhiteSpace(Str(root, "uid")))
        {
            problems.Add("dashboard has no uid (provisioning and links need a stable one)");
        }

        if (root.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            problems.Add("dashboard id must be null so that it imports into any Grafana");
        }

        if (!root.TryGetProperty("schemaVersion", out var sv) || sv.ValueKind != JsonValueKind.Number)
        {
            problems.Add("dashboard has no numeric schemaVersion");
        }
    }

    private static void CheckTemplating(JsonElement root, List<string> problems)
    {
        var vars = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root.TryGetProperty("templating", out var templating) && templating.TryGetProperty("list", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var v in list.EnumerateArray())
            {
                var name = Str(v, "name");
                if (name is not null)
                {
                    vars[name] = v;
                }
            }
        }

        if (!vars.TryGetValue(DatasourceVariable, out var ds))
        {
            problems.Add($"template variable '{DatasourceVariable}' (type datasource) is missing");
        }
        else
        {
            if (Str(ds, "type") != "datasource")
            {
                problems.Add($"template variable '{DatasourceVariable}' must have type 'datasource'");
            }

            if (Str(ds, "query") != "prometheus")
            {
                problems.Add($"template variable '{DatasourceVariable}' must query 'prometheus' data sources");
            }
        }

        foreach (var (name, v) in vars)
        {
            if (Str(v, "type") != "query")
            {
                continue;
            }

            if (!v.TryGetProperty("datasource", out var vds) || !IsDatasourceVariable(vds))
            {
                problems.Add($"template variable '{name}' must use the ${{{DatasourceVariable}}} data source");
            }

            var query = Str(v, "query") ?? (v.TryGetProperty("query", out var q) ? Str(q, "query") : null);
            var m = query is null ? null : LabelValues().Match(query);
            if (m is null || !m.Success)
            {
                problems.Add($"template variable '{name}' must be a label_values(<spillway metric>, <label>) query, got '{query}'");
                continue;
            }

            foreach (var p in PromQlLint.Check(m.Groups["selector"].Value))
            {
                problems.Add($"template variable '{name}': {p}");
            }
        }

        CheckJobVariable(vars, problems);

        foreach (var name in new[] { "node", "peer" })
        {
            if (!vars.TryGetValue(name, out var v))
            {
                problems.Add($"template variable '{name}' is missing");
                continue;
            }

            if (Str(v, "type") != "query")
            {
                problems.Add($"template variable '{name}' must be a query variable");
            }

            var query = Str(v, "query") ?? string.Empty;
            if (!query.Contains("spillway_peer_buffer_capacity_messages", StringComparison.Ordinal)
                || !LabelValues().Match(query).Groups["label"].Value.Equals(name, StringComparison.Ordinal))
            {
                problems.Add($"template variable '{name}' must be label_values(spillway_peer_buffer_capacity_messages..., {name})");
            }

            if (!query.Contains(JobFilter, StringComparison.Ordinal))
            {
                problems.Add($"template variable '{name}' must filter on {JobFilter} (clusters may share node names)");
            }

            foreach (var flag in new[] { "multi", "includeAll" })
            {
                if (!v.TryGetProperty(flag, out var f) || f.ValueKind != JsonValueKind.True)
                {
                    problems.Add($"template variable '{name}' must set {flag}: true");
                }
            }
        }
    }

    /// <summary>The cluster selector: Prometheus' scrape job, listed from `up` so that a cluster whose targets are all down still shows.</summary>
    private static void CheckJobVariable(Dictionary<string, JsonElement> vars, List<string> problems)
    {
        if (!vars.TryGetValue("job", out var v))
        {
            problems.Add("template variable 'job' is missing");
            return;
        }

        var query = Str(v, "query") ?? string.Empty;
        var m = LabelValues().Match(query);
        if (Str(v, "type") != "query" || !m.Success || m.Groups["label"].Value != "job"
            || !m.Groups["selector"].Value.StartsWith("up{job=~", StringComparison.Ordinal))
        {
            problems.Add("template variable 'job' must be a query variable label_values(up{job=~\"<spillway jobs>\"}, job)");
        }

        foreach (var flag in new[] { "multi", "includeAll" })
        {
            if (!v.TryGetProperty(flag, out var f) || f.ValueKind != JsonValueKind.True)
            {
                problems.Add($"template variable 'job' must set {flag}: true");
            }
        }
    }

    public const string JobFilter = "job=~\"$job\"";
    public const string NodeFilter = "node=~\"$node\"";
    public const string PeerFilter = "peer=~\"$peer\"";

    [GeneratedRegex(@"(?<![A-Za-z0-9_:])(?<metric>spillway_[A-Za-z0-9_]+|up)(?![A-Za-z0-9_:(])(?<matchers>\{[^}]*\})?")]
    private static partial Regex Selector();

    /// <summary>
    /// Every selector filters on the dashboard's variables: `job` always (two clusters may share node names),
    /// `node` for Spillway families, `peer` for per-peer families.
    /// </summary>
    public static IReadOnlyList<string> SelectorProblems(string expr)
    {
        var problems = new List<string>();
        foreach (Match m in Selector().Matches(expr))
        {
            var metric = m.Groups["metric"].Value;
            var matchers = m.Groups["matchers"].Value;
            var required = new List<string> { JobFilter };
            if (metric != SpillwayMetrics.Up)
            {
                required.Add(NodeFilter);
            }

            if (SpillwayMetrics.PerPeer.Contains(metric))
            {
                required.Add(PeerFilter);
            }

            foreach (var r in required.Where(r => !matchers.Contains(r, StringComparison.Ordinal)))
            {
                problems.Add($"selector of {metric} must filter {r}");
            }
        }

        return problems;
    }

    private static void CheckPanels(JsonElement root, List<string> problems)
    {
        var ids = new HashSet<long>();
        var count = 0;
        foreach (var panel in Panels(root))
        {
            count++;
            var type = Str(panel, "type");
            var title = Str(panel, "title");
            var label = string.IsNullOrWhiteSpace(title) ? $"panel #{count} (type {type ?? "?"})" : $"panel '{title}'";

            if (panel.TryGetProperty("id", out var id) && id.TryGetInt64(out var idValue) && !ids.Add(idValue))
            {
                problems.Add($"{label}: duplicate panel id {idValue}");
            }

            if (!panel.TryGetProperty("gridPos", out _))
            {
                problems.Add($"{label}: no gridPos");
            }

            if (string.IsNullOrWhiteSpace(title))
            {
                problems.Add($"{label}: empty title");
            }

            if (type == "row")
            {
                continue; // rows carry no queries, units or descriptions
            }

            if (string.IsNullOrWhiteSpace(Str(panel, "description")))
            {
                problems.Add($"{label}: empty description");
            }

            var unit = panel.TryGetProperty("fieldConfig", out var fc) && fc.TryGetProperty("defaults", out var defaults) ? Str(defaults, "unit") : null;
            if (string.IsNullOrWhiteSpace(unit))
            {
                problems.Add($"{label}: fieldConfig.defaults.unit is empty");
            }

            var panelDsIsVariable = panel.TryGetProperty("datasource", out var pds) && IsDatasourceVariable(pds);
            if (panel.TryGetProperty("datasource", out pds) && pds.ValueKind != JsonValueKind.Null && !panelDsIsVariable)
            {
                problems.Add($"{label}: panel datasource must be ${{{DatasourceVariable}}}, got {pds.GetRawText()}");
            }

            if (!panel.TryGetProperty("targets", out var targets) || targets.ValueKind != JsonValueKind.Array || targets.GetArrayLength() == 0)
            {
                problems.Add($"{label}: no targets");
                continue;
            }

            foreach (var target in targets.EnumerateArray())
            {
                var refId = Str(target, "refId") ?? "?";
                if (target.TryGetProperty("datasource", out var tds))
                {
                    if (!IsDatasourceVariable(tds))
                    {
                        problems.Add($"{label} target {refId}: datasource must be ${{{DatasourceVariable}}}, got {tds.GetRawText()}");
                    }
                }
                else if (!panelDsIsVariable)
                {
                    problems.Add($"{label} target {refId}: no datasource, and the panel's is not ${{{DatasourceVariable}}}");
                }

                var expr = Str(target, "expr");
                if (string.IsNullOrWhiteSpace(expr))
                {
                    problems.Add($"{label} target {refId}: empty expr");
                    continue;
                }

                foreach (var p in PromQlLint.Check(expr).Concat(SelectorProblems(expr)))
                {
                    problems.Add($"{label} target {refId}: {p}  [expr: {expr}]");
                }
            }
        }

        if (count == 0)
        {
            problems.Add("dashboard has no panels");
        }
    }

    /// <summary>No hard-coded Prometheus data source anywhere (annotations, variables, panels, targets).</summary>
    private static void CheckEveryPrometheusDatasourceIsTheVariable(JsonElement e, string path, List<string> problems)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var prop in e.EnumerateObject())
                {
                    if (prop.Name == "datasource" && prop.Value.ValueKind == JsonValueKind.Object
                        && Str(prop.Value, "type") == "prometheus" && !IsDatasourceVariable(prop.Value))
                    {
                        problems.Add($"{path}.datasource: hard-coded Prometheus data source {prop.Value.GetRawText()}; use ${{{DatasourceVariable}}}");
                    }

                    CheckEveryPrometheusDatasourceIsTheVariable(prop.Value, $"{path}.{prop.Name}", problems);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    CheckEveryPrometheusDatasourceIsTheVariable(item, $"{path}[{i++}]", problems);
                }

                break;
        }
    }
}
