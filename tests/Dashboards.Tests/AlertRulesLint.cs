using System.Text.RegularExpressions;

namespace Spillway.Dashboards.Tests;

/// <summary>One alerting rule as read from a Prometheus rule file.</summary>
public sealed record AlertRule(
    string Group,
    string Name,
    string Expr,
    string? For,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations);

/// <summary>Lints Prometheus alert rules against the conventions of dashboards/runbook.md.</summary>
public static partial class AlertRulesLint
{
    /// <summary>
    /// runbook_url = RunbookBase + "#" + lower-case alert name (the anchor of "## AlertName"). Relative to the
    /// repository root, so it names no host that could be wrong for a fork or a mirror.
    /// </summary>
    public const string RunbookBase = "dashboards/runbook.md";

    public static readonly IReadOnlySet<string> Severities = new HashSet<string>(StringComparer.Ordinal) { "info", "warning", "critical" };

    // `{{ $labels.node }}`, or `$labels.node` inside another action (`{{ with $labels.node }}`).
    [GeneratedRegex(@"\{\{-?[^}]*\$labels\.node\b[^}]*-?\}\}")]
    private static partial Regex NodeLabelRef();

    [GeneratedRegex(@"\{\{-?\s*\$labels\.peer\s*-?\}\}")]
    private static partial Regex PeerLabelRef();

    [GeneratedRegex(@"^(#{1,6})\s+(.+?)\s*#*\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    public static IReadOnlyList<AlertRule> Parse(string yaml)
    {
        var root = Yaml.Parse(yaml) as Dictionary<string, object?>
            ?? throw new FormatException("rule file is not a mapping");
        if (root.GetValueOrDefault("groups") is not List<object?> groups)
        {
            throw new FormatException("rule file has no 'groups' list");
        }

        var alerts = new List<AlertRule>();
        foreach (var g in groups)
        {
            var group = g as Dictionary<string, object?> ?? throw new FormatException("a group is not a mapping");
            var groupName = group.GetValueOrDefault("name") as string ?? "?";
            if (group.GetValueOrDefault("rules") is not List<object?> rules)
            {
                continue;
            }

            foreach (var r in rules)
            {
                var rule = r as Dictionary<string, object?> ?? throw new FormatException($"a rule in group '{groupName}' is not a mapping");
                if (rule.GetValueOrDefault("alert") is not string name)
                {
                    continue; // recording rule
                }

                alerts.Add(new AlertRule(
                    groupName,
                    name,
                    rule.GetValueOrDefault("expr") as string ?? string.Empty,
                    rule.GetValueOrDefault("for") as string,
                    StringMap(rule.GetValueOrDefault("labels")),
                    StringMap(rule.GetValueOrDefault("annotations"))));
            }
        }

        return alerts;
    }

    private static Dictionary<string, string> StringMap(object? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is Dictionary<string, object?> d)
        {
            foreach (var (k, v) in d)
            {
                if (v is string s)
                {
                    map[k] = s;
                }
            }
        }

        return map;
    }

    /// <summary>GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to '-'.</summary>
    public static string GitHubAnchor(string heading)
    {
        var chars = heading.Trim().ToLowerInvariant()
            .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')
            .Select(c => c == ' ' ? '-' : c);
        return new string(chars.ToArray());
    }

    /// <summary>The anchors of all headings in a Markdown document.</summary>
    public static IReadOnlySet<string> RunbookAnchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            var m = Heading().Match(line);
            if (!inFence && m.Success)
            {
                anchors.Add(GitHubAnchor(m.Groups[2].Value));
            }
        }

        return anchors;
    }

    public static IReadOnlyList<string> Check(IReadOnlyList<AlertRule> alerts, string runbookMarkdown)
    {
        var problems = new List<string>();
        if (alerts.Count == 0)
        {
            problems.Add("no alerting rules found");
        }

        var anchors = RunbookAnchors(runbookMarkdown);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in alerts)
        {
            var label = $"alert {a.Name}";
            if (!seen.Add(a.Name))
            {
                problems.Add($"{label}: defined twice");
            }

            if (!a.Labels.TryGetValue("severity", out var severity) || !Severities.Contains(severity))
            {
                problems.Add($"{label}: labels.severity must be one of {string.Join(", ", Severities)} (got '{severity}')");
            }

            foreach (var key in new[] { "summary", "description", "runbook_url" })
            {
                if (!a.Annotations.TryGetValue(key, out var v) || string.IsNullOrWhiteSpace(v))
                {
                    problems.Add($"{label}: annotation '{key}' is missing or empty");
                }
            }

            var description = a.Annotations.GetValueOrDefault("description") ?? string.Empty;
            var metrics = PromQlLint.MetricsIn(a.Expr);
            if (!NodeLabelRef().IsMatch(description))
            {
                problems.Add($"{label}: description must name {{{{ $labels.node }}}}");
            }

            if (metrics.Any(SpillwayMetrics.PerPeer.Contains) && !PeerLabelRef().IsMatch(description))
            {
                problems.Add($"{label}: description must name {{{{ $labels.peer }}}} (the expression is per peering)");
            }

            foreach (var p in PromQlLint.Check(a.Expr))
            {
                problems.Add($"{label}: expr: {p}");
            }

            var anchor = a.Name.ToLowerInvariant();
            var expectedUrl = $"{RunbookBase}#{anchor}";
            var url = a.Annotations.GetValueOrDefault("runbook_url");
            if (url is not null && url != expectedUrl)
            {
                problems.Add($"{label}: runbook_url must be '{expectedUrl}', got '{url}'");
            }

            if (!anchors.Contains(anchor))
            {
                problems.Add($"{label}: runbook has no heading with anchor '#{anchor}' (add a '## {a.Name}' section)");
            }
        }

        return problems;
    }
}
