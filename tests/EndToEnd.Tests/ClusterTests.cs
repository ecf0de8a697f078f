using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Spillway.EndToEnd.Tests;

/// <summary>
/// The running cluster as Prometheus, promtool, Grafana's queries and Alertmanager see it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ClusterFixture cluster)
{
    // Bounds on waiting for events (series, alerts, notifications), generous for a loaded CI machine.
    private static readonly TimeSpan TargetsTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan QueriesTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan AlertTimeout = TimeSpan.FromSeconds(240); // the overflow alert needs 2 minutes of sustained loss
    private static readonly TimeSpan WebhookTimeout = TimeSpan.FromSeconds(120);
    private const string OverflowAlert = "SpillwayPeerBufferOverflowing";

    [Fact]
    public async Task Prometheus_scrapes_every_node_and_every_target_is_up()
    {
        var expected = cluster.Nodes.Select(n => n.MetricsUrl).Order().ToArray();
        await Eventually.UntilAsync($"exactly {expected.Length} active targets, all health \"up\": {string.Join(", ", expected)}", TargetsTimeout, async () =>
        {
            var targets = await cluster.Api.ActiveTargetsAsync();
            var seen = targets.Select(t => (Url: t.GetProperty("scrapeUrl").GetString()!, Health: t.GetProperty("health").GetString()!,
                Error: t.GetProperty("lastError").GetString())).OrderBy(t => t.Url).ToArray();
            var done = seen.Select(t => t.Url).SequenceEqual(expected) && seen.All(t => t.Health == "up");
            return (done, string.Join("; ", seen.Select(t => $"{t.Url} {t.Health}{(string.IsNullOrEmpty(t.Error) ? "" : $" ({t.Error})")}")));
        }, cluster.Diagnostics);
    }

    [Fact]
    public async Task Every_series_keeps_the_node_label_the_node_exported()
    {
        // honor_labels: the `node` label comes from the exporting node, never from relabelling, and label values
        // are bounded by the layout: the dashboard's template variables list exactly the five node names.
        var names = ClusterFixture.NodeNames.Order().ToArray();
        await Eventually.UntilAsync($"label_values(spillway_peer_buffer_capacity_messages, node) and (…, peer) == {string.Join(", ", names)}",
            TargetsTimeout, async () =>
            {
                var nodes = (await cluster.Api.LabelValuesAsync("node", "spillway_peer_buffer_capacity_messages")).Order().ToArray();
                var peers = (await cluster.Api.LabelValuesAsync("peer", "spillway_peer_buffer_capacity_messages{node=~\".*\"}")).Order().ToArray();
                return (nodes.SequenceEqual(names) && peers.SequenceEqual(names), $"node: [{string.Join(", ", nodes)}], peer: [{string.Join(", ", peers)}]");
            }, cluster.Diagnostics);

        // Each target's series carry that target's node name (so no label was overwritten or invented).
        var result = await cluster.Api.QueryAsync("count by (node, instance) (spillway_peer_buffer_capacity_messages)");
        var pairs = result.EnumerateArray().Select(s => (Node: s.GetProperty("metric").GetProperty("node").GetString(),
            Instance: s.GetProperty("metric").GetProperty("instance").GetString())).ToHashSet();
        var expectedPairs = cluster.Nodes.Select(n => ((string?)n.Name, (string?)$"127.0.0.1:{n.MetricsPort}")).ToHashSet();
        Assert.True(pairs.SetEquals(expectedPairs),
            $"expected (node, instance) pairs {string.Join(", ", expectedPairs)}; Prometheus has {string.Join(", ", pairs)}");
        var exported = await cluster.Api.QueryAsync("{__name__=~\"spillway_.*\", exported_node!=\"\"}");
        Assert.True(exported.GetArrayLength() == 0, $"no series may carry exported_node (honor_labels); got {PrometheusApi.Render(exported)}");
    }

    [Fact]
    public async Task Promtool_check_metrics_accepts_every_nodes_metrics()
    {
        var failures = new List<string>();
        foreach (var node in cluster.Nodes)
        {
            var body = await Eventually.UntilAsync($"{node.Name}'s {node.MetricsUrl} to answer 200 with per-peer series", TargetsTimeout, async () =>
            {
                using var response = await cluster.Http.GetAsync(node.MetricsUrl);
                var text = await response.Content.ReadAsStringAsync();
                return (response.IsSuccessStatusCode && text.Contains("spillway_peer_buffer_messages{", StringComparison.Ordinal), text,
                    $"HTTP {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
            }, cluster.Diagnostics);

            var (exitCode, stdout, stderr) = await Promtool.CheckMetricsAsync(body);
            if (exitCode != 0)
                failures.Add($"{node.Name} ({node.Exporter} exporter, {node.MetricsUrl}): promtool check metrics exited {exitCode}\n" +
                             $"  stdout: {stdout.Trim()}\n  stderr: {stderr.Trim()}\n  body:\n{body}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_dashboard_query_returns_series()
    {
        var queries = DashboardQueries.Load(RepoPaths.Dashboard);
        Assert.True(queries.Count >= 10, $"expected the dashboard's panel queries in {RepoPaths.Dashboard}, found {queries.Count}");

        // A real WebSocket client on the manager, kept open for the whole test: spillway_websocket_clients{node="manager"} is 1.
        var manager = cluster.Node("manager");
        using var ws = cluster.NewWebSocketClient();
        using (var connect = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await ws.ConnectAsync(new Uri($"wss://127.0.0.1:{manager.WebSocketPort}/v1/messages/json"), connect.Token);
            await ws.SendAsync("[]"u8.ToArray(), WebSocketMessageType.Text, true, connect.Token);
            var ack = await ReceiveTextAsync(ws, connect.Token);
            using var ackJson = JsonDocument.Parse(ack);
            Assert.True(ackJson.RootElement.GetProperty("type").GetString() == "ack", $"expected an ack to the subscription `[]`, got {ack}");
        }

        var scrape = ClusterFixture.ScrapeIntervalSeconds;
        var timeVariables = new Dictionary<string, string>
        {
            ["datasource"] = "",
            ["__interval"] = $"{scrape}s",
            ["__interval_ms"] = $"{scrape * 1000}",
            ["__rate_interval"] = $"{4 * scrape}s", // Grafana: max($__interval + scrape interval, 4 * scrape interval)
            ["__rate_interval_ms"] = $"{4 * scrape * 1000}",
            ["__range"] = DashboardQueries.DefaultRange(RepoPaths.Dashboard),
        };
        var rangeSeconds = (long)ParseDuration(timeVariables["__range"]).TotalSeconds;
        timeVariables["__range_s"] = rangeSeconds.ToString(CultureInfo.InvariantCulture);
        timeVariables["__range_ms"] = (rangeSeconds * 1000).ToString(CultureInfo.InvariantCulture);

        // "All" (Grafana's allValue .*) and two concrete selections.
        (string Node, string Peer)[] selections = [(".*", ".*"), ("worker-1", "logger"), ("manager", "logger")];
        var deadline = Stopwatch.StartNew();
        foreach (var (node, peer) in selections)
        {
            var values = new Dictionary<string, string>(timeVariables) { ["job"] = "spillway|spillway-.+", ["node"] = node, ["peer"] = peer };
            foreach (var q in queries)
            {
                var promql = DashboardQueries.Substitute(q.Expr, values);
                var remaining = QueriesTimeout - deadline.Elapsed;
                await Eventually.UntilAsync($"panel \"{q.Panel}\" ({q.RefId}) with node={node}, peer={peer} to return at least one series:\n  {promql}",
                    remaining > TimeSpan.FromSeconds(30) ? remaining : TimeSpan.FromSeconds(30), async () =>
                    {
                        var result = await cluster.Api.QueryAsync(promql);
                        return (result.GetArrayLength() > 0, PrometheusApi.Render(result));
                    }, cluster.Diagnostics);
            }
        }

        // The client is counted: exactly one on the manager, as the node itself and as Prometheus report it.
        await Eventually.UntilAsync("spillway_websocket_clients{node=\"manager\"} == 1 in Prometheus", QueriesTimeout, async () =>
        {
            var result = await cluster.Api.QueryAsync("spillway_websocket_clients{node=\"manager\"}");
            var values = result.EnumerateArray().Select(s => s.GetProperty("value")[1].GetString()).ToArray();
            return (values is ["1"], PrometheusApi.Render(result));
        }, cluster.Diagnostics);
        Assert.Equal(WebSocketState.Open, ws.State);
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task Overflow_alert_fires_and_reaches_the_webhook()
    {
        // The rules loaded are the repo's, with the overflow alert among them and healthy.
        var rules = await Eventually.UntilAsync($"the rules of {RepoPaths.AlertRules} loaded, {OverflowAlert} among them", TargetsTimeout, async () =>
        {
            var r = await cluster.Api.RulesAsync();
            var names = r.Select(x => x.GetProperty("name").GetString()).ToArray();
            return (names.Contains(OverflowAlert), r, $"rules: [{string.Join(", ", names)}]");
        }, cluster.Diagnostics);
        var unhealthy = rules.Where(r => r.GetProperty("health").GetString() is not ("ok" or "unknown")).Select(r => r.GetRawText()).ToArray();
        Assert.True(unhealthy.Length == 0, $"every rule evaluates without error; unhealthy: {string.Join("\n", unhealthy)}");

        // Both workers publish 600 logs/s to a logger reading 100/s through a 200-message buffer: both overflow.
        string[] overflowing = ["worker-1", "worker-2"];
        var firing = await Eventually.UntilAsync($"{OverflowAlert} firing in Prometheus for {string.Join(" and ", overflowing.Select(w => $"{w} -> logger"))}",
            AlertTimeout, async () =>
            {
                var alerts = (await cluster.Api.AlertsAsync()).Where(a => PrometheusApi.Label(a, "alertname") == OverflowAlert).ToArray();
                var firingNodes = alerts.Where(a => a.GetProperty("state").GetString() == "firing" && PrometheusApi.Label(a, "peer") == "logger")
                    .Select(a => PrometheusApi.Label(a, "node")).ToHashSet();
                return (overflowing.All(firingNodes.Contains), alerts,
                    alerts.Length == 0 ? "no such alert" : string.Join("; ", alerts.Select(a =>
                        $"{PrometheusApi.Label(a, "node")} -> {PrometheusApi.Label(a, "peer")}: {a.GetProperty("state").GetString()}")));
            }, cluster.Diagnostics);
        foreach (var alert in firing)
        {
            Assert.Equal("warning", PrometheusApi.Label(alert, "severity"));
            Assert.Contains(PrometheusApi.Label(alert, "node"), ClusterFixture.NodeNames);
            Assert.Contains(PrometheusApi.Label(alert, "peer"), ClusterFixture.NodeNames);
        }

        // Prometheus -> Alertmanager -> webhook: the notification for worker-1 -> logger, labels and annotations intact.
        var (payload, notified) = await Eventually.UntilAsync(
            $"a webhook notification (via Alertmanager at 127.0.0.1:{cluster.AlertmanagerPort}) for {OverflowAlert} worker-1 -> logger",
            WebhookTimeout, () =>
            {
                var all = cluster.Webhook.Alerts().ToArray();
                var match = all.FirstOrDefault(x => PrometheusApi.Label(x.Alert, "alertname") == OverflowAlert &&
                    PrometheusApi.Label(x.Alert, "node") == "worker-1" && PrometheusApi.Label(x.Alert, "peer") == "logger");
                return Task.FromResult((match.Alert.ValueKind == JsonValueKind.Object, match,
                    $"{cluster.Webhook.Payloads.Count} payloads, alerts: [{string.Join("; ", all.Select(x => x.Alert.GetProperty("labels").GetRawText()))}]"));
            }, cluster.Diagnostics);

        var context = $"\nnotification payload: {payload.GetRawText()}";
        Assert.True(payload.GetProperty("receiver").GetString() == "test-webhook", "payload.receiver" + context);
        Assert.True(payload.GetProperty("status").GetString() == "firing", "payload.status == firing" + context);
        Assert.True(notified.GetProperty("status").GetString() == "firing", "alert.status == firing" + context);
        Assert.True(PrometheusApi.Label(notified, "severity") == "warning", "labels.severity == warning" + context);
        Assert.True(PrometheusApi.Label(notified, "job") == "spillway", "labels.job == spillway" + context);

        var annotations = notified.GetProperty("annotations");
        string Annotation(string name) => annotations.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";
        Assert.True(Annotation("runbook_url") == "dashboards/runbook.md#spillwaypeerbufferoverflowing",
            "annotations.runbook_url points at the runbook section of the alert" + context);
        Assert.True(Annotation("summary").Contains("worker-1 -> logger", StringComparison.Ordinal),
            "annotations.summary is rendered with the node and peer (\"worker-1 -> logger\")" + context);
        Assert.True(Annotation("description").Contains("worker-1", StringComparison.Ordinal) && Annotation("description").Contains("logger", StringComparison.Ordinal),
            "annotations.description is rendered with the node and peer" + context);
        Assert.True(!Annotation("summary").Contains("{{", StringComparison.Ordinal) && !Annotation("description").Contains("{{", StringComparison.Ordinal),
            "annotations have no unrendered templates" + context);
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket ws, CancellationToken token)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, token);
            if (result.MessageType == WebSocketMessageType.Close)
                throw new Xunit.Sdk.XunitException($"the server closed the WebSocket: {result.CloseStatus} {result.CloseStatusDescription}");
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return Encoding.UTF8.GetString(message.ToArray());
        }
    }

    private static TimeSpan ParseDuration(string d)
    {
        var unit = d.TrimStart("0123456789".ToCharArray());
        var n = long.Parse(d[..^unit.Length], CultureInfo.InvariantCulture);
        return unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(n), "s" => TimeSpan.FromSeconds(n), "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n), "d" => TimeSpan.FromDays(n),
            _ => throw new FormatException($"unknown duration unit in '{d}'"),
        };
    }
}
