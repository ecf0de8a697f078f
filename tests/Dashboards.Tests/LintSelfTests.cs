using System.Text.Json;
using System.Text.Json.Nodes;
using static Spillway.Dashboards.Tests.TestHelpers;

namespace Spillway.Dashboards.Tests;

/// <summary>The lint itself is able to fail: it is run against deliberately broken snippets.</summary>
public class LintSelfTests
{
    // ---------------------------------------------------------------- PromQL

    [Theory]
    [InlineData("rate(spillway_peer_buffer_overflows_total{node=~\"$node\"}[$__rate_interval])")]
    [InlineData("sum by (node) (increase(spillway_backpressure_disconnects_total[5m]))")]
    [InlineData("irate(spillway_websocket_client_buffer_overflows_total[1m]) > 0")]
    [InlineData("spillway_peer_buffer_recent_max_messages / on (node, peer) group_left spillway_peer_buffer_capacity_messages > 0.8")]
    [InlineData("spillway_peer_buffer_messages{peer=\"not_a_metric_total\", node=~'a|b'}")]
    [InlineData("max without (peer) (spillway_peer_buffer_messages) offset 5m")]
    [InlineData("up{job=~\"spillway|spillway-.+\"} == 0")]
    [InlineData("rate(spillway_peer_buffer_overflows_total[5m]) / on (job, instance, node, peer) rate(spillway_peer_messages_offered_total[5m])")]
    public void PromQl_AcceptsGoodExpressions(string expr) => AssertNoProblems(PromQlLint.Check(expr), expr);

    [Theory]
    [InlineData("spillway_peer_buffer_overflows_total", "wrap it directly in rate(")]
    [InlineData("spillway_peer_buffer_overflows_total{node=\"a\"} > 0", "at top level")]
    [InlineData("sum(spillway_backpressure_disconnects_total)", "inside sum(")]
    [InlineData("rate((spillway_peer_buffer_overflows_total)[5m:])", "inside plain parentheses")]
    [InlineData("delta(spillway_websocket_client_buffer_overflows_total[1m])", "inside delta(")]
    [InlineData("spillway_peer_buffer_size", "'spillway_peer_buffer_size' is not a Spillway metric family")]
    [InlineData("scrape_samples_scraped == 0", "'scrape_samples_scraped' is not a Spillway metric family")]
    [InlineData("rate(node_cpu_seconds_total[5m])", "'node_cpu_seconds_total' is not a Spillway metric family")]
    [InlineData("{__name__=\"spillway_peer_buffer_messages\"}", "has no metric name")]
    [InlineData("rate(spillway_peer_buffer_overflows_total[5m]", "unbalanced")]
    [InlineData("spillway_peer_buffer_messages{node=\"a}", "unterminated")]
    [InlineData("", "empty expression")]
    public void PromQl_RejectsBadExpressions(string expr, string expected) => AssertHasProblem(PromQlLint.Check(expr), expected);

    // ---------------------------------------------------------------- dashboard

    private static JsonNode RealDashboard() => JsonNode.Parse(File.ReadAllText(RepoPaths.Dashboard))!;

    private static JsonObject FirstPanel(JsonNode d) => d["panels"]![0]!.AsObject();

    private static JsonObject TimeseriesPanel(JsonNode d) =>
        d["panels"]!.AsArray().Select(p => p!.AsObject()).First(p => (string?)p["type"] == "timeseries");

    public static TheoryData<string, string> BrokenDashboards => new()
    {
        { "no-description", "empty description" },
        { "blank-title", "empty title" },
        { "no-unit", "fieldConfig.defaults.unit is empty" },
        { "hardcoded-target-datasource", "datasource must be ${datasource}" },
        { "hardcoded-panel-datasource", "panel datasource must be ${datasource}" },
        { "bare-counter", "wrap it directly in rate(" },
        { "unknown-metric", "is not a Spillway metric family" },
        { "no-datasource-variable", "template variable 'datasource' (type datasource) is missing" },
        { "no-peer-variable", "template variable 'peer' is missing" },
        { "node-variable-not-multi", "template variable 'node' must set multi: true" },
        { "duplicate-panel-id", "duplicate panel id" },
        { "numeric-id", "dashboard id must be null" },
        { "nested-row-panel-without-unit", "fieldConfig.defaults.unit is empty" },
        { "no-job-variable", "template variable 'job' is missing" },
        { "query-without-job", "must filter job=~\"$job\"" },
        { "up-without-job", "selector of up must filter job=~\"$job\"" },
        { "query-without-peer", "must filter peer=~\"$peer\"" },
        { "node-variable-ignores-job", "template variable 'node' must filter on job=~\"$job\"" },
    };

    [Theory]
    [MemberData(nameof(BrokenDashboards))]
    public void Dashboard_LintCatches(string breakage, string expected)
    {
        var d = RealDashboard();
        AssertNoProblems(DashboardLint.Check(d.ToJsonString()), "unbroken dashboard");
        var ts = TimeseriesPanel(d);
        switch (breakage)
        {
            case "no-description": ts.Remove("description"); break;
            case "blank-title": ts["title"] = "  "; break;
            case "no-unit": ts["fieldConfig"]!["defaults"]!.AsObject().Remove("unit"); break;
            case "hardcoded-target-datasource": ts["targets"]![0]!["datasource"] = new JsonObject { ["type"] = "prometheus", ["uid"] = "P1809F7CD0C75ACF3" }; break;
            case "hardcoded-panel-datasource": ts["datasource"] = "Prometheus"; break;
            case "bare-counter": ts["targets"]![0]!["expr"] = "sum(spillway_peer_buffer_overflows_total)"; break;
            case "unknown-metric": ts["targets"]![0]!["expr"] = "spillway_peer_buffer_queued"; break;
            case "no-datasource-variable": RemoveVariable(d, "datasource"); break;
            case "no-peer-variable": RemoveVariable(d, "peer"); break;
            case "node-variable-not-multi": Variable(d, "node")["multi"] = false; break;
            case "duplicate-panel-id": ts["id"] = (int)FirstPanel(d)["id"]!; break;
            case "numeric-id": d["id"] = 7; break;
            case "no-job-variable": RemoveVariable(d, "job"); break;
            case "query-without-job": ts["targets"]![0]!["expr"] = "spillway_peer_buffer_messages{node=~\"$node\", peer=~\"$peer\"}"; break;
            case "up-without-job": ts["targets"]![0]!["expr"] = "count(up == 0)"; break;
            case "query-without-peer": ts["targets"]![0]!["expr"] = "spillway_peer_buffer_messages{job=~\"$job\", node=~\"$node\"}"; break;
            case "node-variable-ignores-job": Variable(d, "node")["query"] = "label_values(spillway_peer_buffer_capacity_messages, node)"; break;
            case "nested-row-panel-without-unit":
                var nested = ts.DeepClone().AsObject();
                nested["id"] = 999;
                nested["fieldConfig"]!["defaults"]!.AsObject().Remove("unit");
                d["panels"]!.AsArray().Add(new JsonObject
                {
                    ["id"] = 1000, ["type"] = "row", ["title"] = "Collapsed", ["collapsed"] = true,
                    ["gridPos"] = new JsonObject { ["h"] = 1, ["w"] = 24, ["x"] = 0, ["y"] = 99 },
                    ["panels"] = new JsonArray(nested),
                });
                break;
            default: throw new ArgumentOutOfRangeException(nameof(breakage), breakage, null);
        }

        AssertHasProblem(DashboardLint.Check(d.ToJsonString()), expected);
    }

    [Fact]
    public void Dashboard_DatasourceVariableForms()
    {
        using var doc = JsonDocument.Parse("""["${datasource}", "$datasource", {"type":"prometheus","uid":"${datasource}"}, "Prometheus", {"uid":"abc"}, null]""");
        var results = doc.RootElement.EnumerateArray().Select(DashboardLint.IsDatasourceVariable).ToArray();
        Assert.Equal(new[] { true, true, true, false, false, false }, results);
    }

    private static JsonObject Variable(JsonNode d, string name) =>
        d["templating"]!["list"]!.AsArray().Select(v => v!.AsObject()).Single(v => (string?)v["name"] == name);

    private static void RemoveVariable(JsonNode d, string name) => d["templating"]!["list"]!.AsArray().Remove(Variable(d, name));

    // ---------------------------------------------------------------- alert rules + runbook

    private const string GoodRules = """
        groups:
          - name: g
            rules:
              - alert: SpillwayPeerBufferOverflowing
                expr: increase(spillway_peer_buffer_overflows_total[1m]) > 0
                labels:
                  severity: warning
                annotations:
                  summary: "overflow {{ $labels.node }}"
                  description: >-
                    Node {{ $labels.node }} towards
                    {{ $labels.peer }} overflowed.
                  runbook_url: dashboards/runbook.md#spillwaypeerbufferoverflowing
        """;

    private const string GoodRunbook = "# Runbook\n\n## SpillwayPeerBufferOverflowing\n\ntext\n";

    [Fact]
    public void Rules_GoodSnippetPasses()
    {
        var alerts = AlertRulesLint.Parse(GoodRules);
        var a = Assert.Single(alerts);
        Assert.Equal("Node {{ $labels.node }} towards {{ $labels.peer }} overflowed.", a.Annotations["description"]);
        AssertNoProblems(AlertRulesLint.Check(alerts, GoodRunbook), "good snippet");
    }

    [Theory]
    [InlineData("severity: warning", "severity: page", "labels.severity must be one of")]
    [InlineData("          severity: warning\n", "", "labels.severity must be one of")]
    [InlineData("summary: \"overflow {{ $labels.node }}\"", "summary: \"\"", "annotation 'summary' is missing or empty")]
    [InlineData("{{ $labels.peer }} overflowed.", "someone overflowed.", "description must name {{ $labels.peer }}")]
    [InlineData("Node {{ $labels.node }} towards", "Node towards", "description must name {{ $labels.node }}")]
    [InlineData("runbook.md#spillwaypeerbufferoverflowing", "runbook.md#overflow", "runbook_url must be")]
    [InlineData("runbook_url: dashboards", "runbook: dashboards", "annotation 'runbook_url' is missing or empty")]
    [InlineData("runbook_url: dashboards/", "runbook_url: https://example.invalid/dashboards/", "runbook_url must be")]
    [InlineData("increase(spillway_peer_buffer_overflows_total[1m]) > 0", "spillway_peer_buffer_overflows_total > 0", "wrap it directly in rate(")]
    public void Rules_LintCatches(string original, string broken, string expected)
    {
        Assert.Contains(original, GoodRules, StringComparison.Ordinal);
        var alerts = AlertRulesLint.Parse(GoodRules.Replace(original, broken, StringComparison.Ordinal));
        AssertHasProblem(AlertRulesLint.Check(alerts, GoodRunbook), expected);
    }

    [Theory]
    [InlineData("# Runbook\n\ntext\n")]
    [InlineData("# Runbook\n\n## Spillway Peer Buffer Overflowing\n")]
    [InlineData("# Runbook\n\n```\n## SpillwayPeerBufferOverflowing\n```\n")]
    public void Rules_LintCatchesAMissingRunbookSection(string runbook) =>
        AssertHasProblem(AlertRulesLint.Check(AlertRulesLint.Parse(GoodRules), runbook), "runbook has no heading with anchor '#spillwaypeerbufferoverflowing'");

    [Fact]
    public void Rules_LintCatchesNoAlerts() =>
        AssertHasProblem(AlertRulesLint.Check(AlertRulesLint.Parse("groups:\n  - name: g\n    rules: []\n"), GoodRunbook), "no alerting rules found");

    [Fact]
    public void Rules_RealRunbookWithoutASectionFails()
    {
        var runbook = File.ReadAllText(RepoPaths.Runbook).Replace("## SpillwayPeerBufferSaturated", "## Saturation", StringComparison.Ordinal);
        var alerts = AlertRulesLint.Parse(File.ReadAllText(RepoPaths.AlertRules));
        AssertHasProblem(AlertRulesLint.Check(alerts, runbook), "'#spillwaypeerbuffersaturated'");
    }

    // ---------------------------------------------------------------- YAML reader

    [Fact]
    public void Yaml_ReadsBlockScalarsAndFlowSequences()
    {
        const string yaml = """
            a: |
              line 1
                indented
              line 3
            b: >-
              folded
              text

              new paragraph
            c: 'it''s'
            d: "q \"x\"" # comment
            e: [x, "y", 'z']
            f:
            - 1
            - k: v
              l: w
            """;
        var root = Assert.IsType<Dictionary<string, object?>>(Yaml.Parse(yaml));
        Assert.Equal("line 1\n  indented\nline 3\n", root["a"]);
        Assert.Equal("folded text\nnew paragraph", root["b"]);
        Assert.Equal("it's", root["c"]);
        Assert.Equal("q \"x\"", root["d"]);
        Assert.Equal(new object?[] { "x", "y", "z" }, Assert.IsType<List<object?>>(root["e"]));
        var f = Assert.IsType<List<object?>>(root["f"]);
        Assert.Equal("1", f[0]);
        Assert.Equal("w", Assert.IsType<Dictionary<string, object?>>(f[1])["l"]);
    }

    [Fact]
    public void Yaml_ResolvesAnchorsAndReadsNulls()
    {
        var root = Assert.IsType<Dictionary<string, object?>>(Yaml.Parse("a: &x 1\nb: *x\nc:\nd: ~\ne: 'null'\n"));
        Assert.Equal("1", root["a"]);
        Assert.Equal("1", root["b"]);
        Assert.Null(root["c"]);
        Assert.Null(root["d"]);
        Assert.Equal("null", root["e"]);
    }

    [Theory]
    [InlineData("a: [1, 2\n")]
    [InlineData("a: 1\n  b: 2\n")]
    [InlineData("a: 1\na: 2\n")]
    [InlineData("a: \"open\n")]
    [InlineData("a: 1\n---\nb: 2\n")]
    [InlineData("? [k]\n: v\n")]
    public void Yaml_RejectsWhatItCannotRead(string yaml) => Assert.Throws<FormatException>(() => Yaml.Parse(yaml));
}
