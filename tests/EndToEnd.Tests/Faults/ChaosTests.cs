using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Spillway.EndToEnd.Tests.Faults;

/// <summary>
/// Chaos, end to end (issue 10, item 5): the demo-shaped cluster as separate node processes, scraped by a real
/// Prometheus every 2 s, while a random node is killed with SIGKILL every 15-25 s and started again. At the end
/// Prometheus's own API must show every node up and every peering named, no counter reset in any series of a node
/// that was never restarted, and no per-peer label value outside the layout.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RunFor = TimeSpan.FromMinutes(3);

    /// <summary>Generous: a loaded 2-core machine restarts five .NET processes; this only keeps a broken build from hanging.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(180);

    /// <summary>Kills proxy-1, the logger and both workers (some twice or more) and never the manager, so the whole-run
    /// rule below has a survivor to hold; the per-lifetime rule covers every node anyway.</summary>
    private const int Seed = 20261202;

    private static readonly string[] Names = ["manager", "logger", "proxy-1", "worker-1", "worker-2"];

    /// <summary>The demo's peerings by role (workers dial manager, logger and proxies; proxies dial manager and logger;
    /// the manager dials the logger): what each node must name at the end.</summary>
    private static readonly Dictionary<string, string[]> Peers = new()
    {
        ["manager"] = ["logger", "proxy-1", "worker-1", "worker-2"],
        ["logger"] = ["manager", "proxy-1", "worker-1", "worker-2"],
        ["proxy-1"] = ["logger", "manager", "worker-1", "worker-2"],
        ["worker-1"] = ["logger", "manager", "proxy-1"],
        ["worker-2"] = ["logger", "manager", "proxy-1"],
    };

    [Fact]
    public async Task Killing_random_nodes_for_three_minutes_leaves_every_node_named_and_no_survivor_counter_reset()
    {
        var ports = FreePorts.Reserve(Names.Length * 2 + 1);
        // The demo's shape: its buffers (1000, drop_oldest), a logger reading 300 msg/s, 8 KiB socket buffers (NodeProcessSet),
        // and worker-2 on the other exporter so both are under test.
        var nodes = Names.Select((name, i) => new FaultNode(name,
            name switch { "manager" => "manager", "logger" => "logger", "proxy-1" => "proxy", _ => "worker" },
            "127.0.0.1", ports[2 * i], ports[2 * i + 1],
            InboundMessagesPerSecond: name == "logger" ? 300 : 0,
            Exporter: name == "worker-2" ? "prometheus-net" : null)).ToArray();
        await using var cluster = new NodeProcessSet("chaos", nodes);
        // Each node's process lifetimes, as (started, ended) Unix times: no counter may go down within one.
        var lifetimes = Names.ToDictionary(n => n, _ => new List<(double Start, double End)>());
        var startedAt = Names.ToDictionary(n => n, _ => Now());
        foreach (var n in nodes) cluster.Start(n.Name);

        int prometheusPort = ports[^1];
        var config = Path.Combine(cluster.WorkDir, "prometheus.yml");
        await File.WriteAllTextAsync(config, PrometheusConfig(nodes));
        await using var prometheus = ChildProcess.Start("prometheus", RepoPaths.Prometheus,
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(cluster.WorkDir, "prometheus-data")}",
             $"--web.listen-address=127.0.0.1:{prometheusPort}"],
            Path.Combine(cluster.WorkDir, "prometheus.log"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var api = new PrometheusApi(http, $"http://127.0.0.1:{prometheusPort}");
        string Diagnostics() => cluster.Diagnostics() + prometheus.Describe(20);

        await Eventually.UntilAsync("Prometheus to be ready", Bound, async () =>
        {
            using var response = await http.GetAsync(api.BaseUrl + "/-/ready");
            return (response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}");
        }, Diagnostics);
        await WaitForAllNamedAsync(api, Diagnostics);
        var started = Stopwatch.StartNew();

        // The kill schedule: seeded, so a failure can be replayed; logged as it happens.
        var random = new Random(Seed);
        var restarted = new SortedSet<string>(StringComparer.Ordinal);
        var kills = new List<(string Victim, double KilledAt)>();
        var schedule = new StringBuilder($"chaos schedule (seed {Seed}):\n");
        while (true)
        {
            var wait = TimeSpan.FromSeconds(15 + random.Next(0, 11));
            if (started.Elapsed + wait > RunFor) break;
            await Task.Delay(wait);
            var victim = Names[random.Next(Names.Length)];
            var down = TimeSpan.FromMilliseconds(random.Next(0, 3001));
            await cluster.KillAsync(victim);
            lifetimes[victim].Add((startedAt[victim], Now()));
            kills.Add((victim, Now()));
            var line = $"  t={started.Elapsed.TotalSeconds:F0} s: kill -9 {victim}, restart after {down.TotalSeconds:F1} s";
            schedule.AppendLine(line);
            output.WriteLine(line);
            await Task.Delay(down);
            startedAt[victim] = Now();
            cluster.Start(victim);
            restarted.Add(victim);
        }
        output.WriteLine($"restarted: {string.Join(", ", restarted)}; never restarted: {string.Join(", ", Names.Except(restarted))}");
        Assert.True(restarted.Count < Names.Length, $"the schedule restarted every node: the whole-run rule would hold for nobody; pick another seed\n{schedule}");

        // Every node up and every peering named again (generous: the last restart may have been moments ago).
        await WaitForAllNamedAsync(api, () => schedule + Diagnostics());

        foreach (var n in Names) lifetimes[n].Add((startedAt[n], Now()));

        // Within every process lifetime of every node (survivors: the whole run), no overflow counter went down.
        foreach (var (node, spans) in lifetimes)
        {
            foreach (var (start, end) in spans)
            {
                var inLifetime = await api.QueryAsync(
                    $"resets(spillway_peer_buffer_overflows_total{{node=\"{node}\"}}[{(long)((end - start) * 1000)}ms] @ {At(end)})");
                var bad = inLifetime.EnumerateArray().Where(r => r.GetProperty("value")[1].GetString() != "0").ToArray();
                Assert.True(bad.Length == 0,
                    $"{node}'s overflow counters went down while one process ran ({At(start)} to {At(end)}): {string.Join("; ", bad.Select(b => b.GetRawText()))}\n{schedule}");
            }
        }

        // A restarted process starts its own counters from zero: a legitimate reset, the reason restarted nodes are left
        // out of the whole-run check below. Every series that had counted overflows when its node was killed and was
        // exported again by the new process shows exactly the resets its values imply: one when the new process's first
        // value (its minimum: no reset within a lifetime, checked above) is below the killed one's last, none otherwise
        // (a new process that overflowed for long before it was named may start above the old total).
        int legitimate = 0;
        foreach (var (victim, killedAt) in kills)
        {
            var old = lifetimes[victim].Last(l => l.End <= killedAt);
            var life = lifetimes[victim].First(l => l.Start > killedAt);
            foreach (var before in (await api.QueryAsync($"spillway_peer_buffer_overflows_total{{node=\"{victim}\"}} @ {At(killedAt)} > 0")).EnumerateArray())
            {
                var peer = Metric(before, "peer");
                var selector = $"spillway_peer_buffer_overflows_total{{node=\"{victim}\",peer=\"{peer}\"}}";
                var again = await api.QueryAsync($"count_over_time({selector}[{(long)((life.End - life.Start) * 1000)}ms] @ {At(life.End)})");
                if (again.GetArrayLength() == 0) continue; // not named again before its next kill: no new series to compare
                var lastBefore = await ScalarAsync(api, $"last_over_time({selector}[{(long)((old.End - old.Start) * 1000)}ms] @ {At(old.End)})");
                var firstAfter = await ScalarAsync(api, $"min_over_time({selector}[{(long)((life.End - life.Start) * 1000)}ms] @ {At(life.End)})");
                var expected = firstAfter < lastBefore ? 1 : 0;
                // Both lifetimes, the killed process's and the new one's: the restart's reset and no other.
                var across = await ScalarAsync(api, $"resets({selector}[{(long)((life.End - old.Start) * 1000)}ms] @ {At(life.End)})");
                Assert.True(across == expected,
                    $"{selector}: {across} resets across the restart at {At(killedAt)}, want {expected} (last {lastBefore} before, first {firstAfter} after)\n{schedule}");
                legitimate += expected;
            }
        }
        output.WriteLine($"legitimate resets seen across {legitimate} restart(s) of a series that had counted overflows");
        Assert.True(legitimate > 0, $"no kill hit a node whose overflow counter had risen and came back: the reset rule went unexercised\n{schedule}");

        // The issue's query: one window over the whole run, Prometheus's start included.
        var window = (int)Math.Ceiling(started.Elapsed.TotalSeconds) + 120;
        var resets = await api.QueryAsync($"resets(spillway_peer_buffer_overflows_total[{window}s])");
        output.WriteLine("resets: " + PrometheusApi.Render(resets, 40));
        var series = resets.EnumerateArray()
            .Select(r => (Node: Metric(r, "node"), Peer: Metric(r, "peer"), Resets: double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToArray();
        // Every node exported the family (so the query saw every survivor's series), and no survivor's counter ever went down.
        Assert.Equal(Names.Order(StringComparer.Ordinal), series.Select(s => s.Node).Distinct().Order(StringComparer.Ordinal));
        var survivorResets = series.Where(s => !restarted.Contains(s.Node) && s.Resets != 0).ToArray();
        Assert.True(survivorResets.Length == 0,
            $"counters reset on nodes that were never restarted: {string.Join("; ", survivorResets)}\n{schedule}");

        // Label values: node and peer only ever names from the layout, over everything Prometheus stored.
        var peerValues = await api.LabelValuesAsync("peer", """{__name__=~"spillway_.+"}""");
        var nodeValues = await api.LabelValuesAsync("node", """{__name__=~"spillway_.+"}""");
        Assert.Empty(peerValues.Except(Names));
        Assert.Empty(nodeValues.Except(Names));
        Assert.Equal(Names.Order(StringComparer.Ordinal), peerValues.Order(StringComparer.Ordinal));
    }

    /// <summary>Waits until <c>up</c> is 1 for all five nodes and each node's live named peerings are exactly its layout peers.</summary>
    private static Task WaitForAllNamedAsync(PrometheusApi api, Func<string> diagnostics) =>
        Eventually.UntilAsync("every node up and every peering named, as Prometheus sees it", Bound, async () =>
        {
            var up = await api.QueryAsync("up");
            var upCount = up.EnumerateArray().Count(r => r.GetProperty("value")[1].GetString() == "1");
            var named = (await api.QueryAsync("spillway_peer_buffer_capacity_messages")).EnumerateArray()
                .GroupBy(r => Metric(r, "node"))
                .ToDictionary(g => g.Key, g => g.Select(r => Metric(r, "peer")).Order(StringComparer.Ordinal).ToArray());
            var missing = Peers.Where(p => !named.TryGetValue(p.Key, out var have) || !have.SequenceEqual(p.Value)).Select(p => p.Key).ToArray();
            var seen = $"up {upCount}/{Names.Length}; " + string.Join("; ", named.OrderBy(n => n.Key).Select(n => $"{n.Key} names [{string.Join(", ", n.Value)}]"));
            return (upCount == Names.Length && missing.Length == 0, seen);
        }, diagnostics);

    /// <summary>The value of a query that selects exactly one series.</summary>
    private static async Task<double> ScalarAsync(PrometheusApi api, string query) =>
        double.Parse(Assert.Single((await api.QueryAsync(query)).EnumerateArray()).GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);

    private static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private static string At(double unixSeconds) => unixSeconds.ToString("F3", CultureInfo.InvariantCulture);

    private static string Metric(JsonElement result, string label) =>
        result.GetProperty("metric").TryGetProperty(label, out var v) ? v.GetString() ?? "" : "";

    private static string PrometheusConfig(IEnumerable<FaultNode> nodes)
    {
        var yaml = new StringBuilder();
        // Every 2 s: often enough to see each restart, lenient enough for a scrape on a loaded machine.
        yaml.AppendLine("# Generated by Spillway.EndToEnd.Tests (ChaosTests): every node scraped every 2 s.");
        yaml.AppendLine("global:");
        yaml.AppendLine("  scrape_interval: 2s");
        yaml.AppendLine("  scrape_timeout: 2s");
        yaml.AppendLine("scrape_configs:");
        yaml.AppendLine("  - job_name: spillway");
        yaml.AppendLine("    honor_labels: true");
        yaml.AppendLine("    static_configs:");
        yaml.AppendLine("      - targets:");
        foreach (var n in nodes) yaml.AppendLine($"          - {n.Host}:{n.MetricsPort}");
        return yaml.ToString();
    }
}
