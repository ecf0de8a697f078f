using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Spillway.EndToEnd.Tests;

/// <summary>One node of the test cluster: its place in the layout and its process.</summary>
public sealed record ClusterNode(string Name, string Role, string Exporter, int PeeringPort, int MetricsPort, int? WebSocketPort, ChildProcess Process)
{
    public string MetricsUrl => $"http://127.0.0.1:{MetricsPort}/metrics";
}

/// <summary>
/// A five-node Spillway cluster (manager, logger, proxy-1, worker-1, worker-2; each its own OS process running
/// the synthetic workload), a Prometheus scraping it with the repo's alert rules, an Alertmanager and a webhook
/// receiver inside the test. Started once for the <see cref="ClusterCollection"/>; everything is stopped and the
/// temp directory deleted on dispose (kept, and its path printed, when a failure message was produced or
/// SPILLWAY_E2E_KEEP=1).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Scrape and rule-evaluation interval of the test Prometheus (the repo's prometheus.yml uses 5s).</summary>
    public const int ScrapeIntervalSeconds = 1;

    public const int PeerBufferSize = 200;
    public const int LoggerInboundMessagesPerSecond = 100;
    public static readonly string[] NodeNames = ["manager", "logger", "proxy-1", "worker-1", "worker-2"];

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly List<ChildProcess> _processes = new();
    private volatile bool _keepWorkDir = Environment.GetEnvironmentVariable("SPILLWAY_E2E_KEEP") == "1";

    public string WorkDir { get; private set; } = "";
    public string LayoutPath => Path.Combine(WorkDir, "layout.json");
    public string PrometheusConfigPath => Path.Combine(WorkDir, "prometheus.yml");
    public IReadOnlyList<ClusterNode> Nodes { get; private set; } = [];
    public ChildProcess Prometheus { get; private set; } = null!;
    public ChildProcess Alertmanager { get; private set; } = null!;
    public int PrometheusPort { get; private set; }
    public int AlertmanagerPort { get; private set; }
    public WebhookReceiver Webhook { get; private set; } = null!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(5) };
    public PrometheusApi Api { get; private set; } = null!;

    public ClusterNode Node(string name) => Nodes.Single(n => n.Name == name);

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch (Exception e)
        {
            var message = $"Starting the end-to-end cluster failed: {e.Message}\n{Diagnostics()}";
            await DisposeAsync();
            throw new InvalidOperationException(message, e);
        }
    }

    private async Task StartAsync()
    {
        WorkDir = Directory.CreateTempSubdirectory("spillway-e2e-").FullName;
        var dll = RepoPaths.SpillwayDll;
        var prometheusBin = RepoPaths.Prometheus;
        var alertmanagerBin = RepoPaths.Alertmanager;

        // 5 peering + 5 metrics ports, 1 WebSocket port (manager), Prometheus, Alertmanager.
        var ports = new Queue<int>(FreePorts.Reserve(NodeNames.Length * 2 + 3));
        var specs = NodeNames.Select(name => (
            Name: name,
            Role: name switch { "manager" => "manager", "logger" => "logger", _ when name.StartsWith("proxy") => "proxy", _ => "worker" },
            // worker-2 uses the alternative exporter, so both exporters are scraped, linted and alerted on.
            Exporter: name == "worker-2" ? "prometheus-net" : "opentelemetry",
            Peering: ports.Dequeue(), Metrics: ports.Dequeue(), WebSocket: name == "manager" ? ports.Dequeue() : (int?)null)).ToArray();
        PrometheusPort = ports.Dequeue();
        AlertmanagerPort = ports.Dequeue();

        await File.WriteAllTextAsync(LayoutPath, LayoutJson(specs.Select(s => (s.Name, s.Role, s.Peering, s.Metrics, s.WebSocket))));
        await MakeCertificatesAsync(dll);

        Webhook = await WebhookReceiver.StartAsync();

        var nodes = new List<ClusterNode>();
        foreach (var s in specs)
        {
            var process = Track(ChildProcess.Start(s.Name, RepoPaths.DotnetHost,
                [dll, "node", "--layout", LayoutPath, "--name", s.Name, "--workload", "--exporter", s.Exporter,
                 // Backstop: the node stops by itself if the test host dies without cleaning up.
                 "--exit-with-parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
                Path.Combine(WorkDir, s.Name + ".log")));
            nodes.Add(new ClusterNode(s.Name, s.Role, s.Exporter, s.Peering, s.Metrics, s.WebSocket, process));
        }
        Nodes = nodes;

        var amConfig = Path.Combine(WorkDir, "alertmanager.yml");
        await File.WriteAllTextAsync(amConfig, AlertmanagerConfig(Webhook.Url));
        Alertmanager = Track(ChildProcess.Start("alertmanager", alertmanagerBin,
            [$"--config.file={amConfig}", $"--storage.path={Path.Combine(WorkDir, "alertmanager-data")}",
             $"--web.listen-address=127.0.0.1:{AlertmanagerPort}", "--cluster.listen-address="],
            Path.Combine(WorkDir, "alertmanager.log")));

        await File.WriteAllTextAsync(PrometheusConfigPath, PrometheusConfig());
        Prometheus = Track(ChildProcess.Start("prometheus", prometheusBin,
            [$"--config.file={PrometheusConfigPath}", $"--storage.tsdb.path={Path.Combine(WorkDir, "prometheus-data")}",
             $"--web.listen-address=127.0.0.1:{PrometheusPort}"],
            Path.Combine(WorkDir, "prometheus.log")));
        Api = new PrometheusApi(Http, $"http://127.0.0.1:{PrometheusPort}");

        // Everything answers, or the fixture fails with every log tail.
        var waits = Nodes.Select(n => WaitForHttpAsync(n.Process, n.MetricsUrl, "spillway_peer_buffer_capacity_messages"))
            .Append(WaitForHttpAsync(Alertmanager, $"http://127.0.0.1:{AlertmanagerPort}/-/ready", null))
            .Append(WaitForHttpAsync(Prometheus, $"http://127.0.0.1:{PrometheusPort}/-/ready", null));
        await Task.WhenAll(waits);
    }

    private ChildProcess Track(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>Polls until <paramref name="url"/> answers 200 (and contains <paramref name="mustContain"/>); fails early if the process died.</summary>
    private Task WaitForHttpAsync(ChildProcess process, string url, string? mustContain) =>
        Eventually.UntilAsync($"{process.Name} to serve {url}" + (mustContain is null ? "" : $" containing '{mustContain}'"), StartTimeout, async () =>
        {
            if (process.HasExited)
                throw new Xunit.Sdk.XunitException($"{process.Name} exited with code {process.ExitCode} while starting.\n{process.Describe(40)}");
            using var response = await Http.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            var ok = response.IsSuccessStatusCode && (mustContain is null || body.Contains(mustContain, StringComparison.Ordinal));
            return (ok, $"HTTP {(int)response.StatusCode}, {body.Length} bytes");
        }, Diagnostics);

    /// <summary>
    /// Every process's state, log path and log tail, for failure messages. Calling it marks the run as failed,
    /// so the work directory with the full logs is kept.
    /// </summary>
    public string Diagnostics()
    {
        _keepWorkDir = true;
        var text = new StringBuilder($"Logs are in {WorkDir} (kept after the run). Layout: {LayoutPath}; Prometheus config: {PrometheusConfigPath}\n");
        foreach (var p in _processes) text.AppendLine(p.Describe(15));
        return text.ToString();
    }

    /// <summary>The CA and node certificates, made by the real <c>spillway certs</c> into <c>certs/</c> beside the layout.</summary>
    private async Task MakeCertificatesAsync(string dll)
    {
        var certs = ChildProcess.Start("certs", RepoPaths.DotnetHost, [dll, "certs", "--layout", LayoutPath, "--out", Path.Combine(WorkDir, "certs")],
            Path.Combine(WorkDir, "certs.log"));
        if (!await certs.WaitForExitAsync(TimeSpan.FromSeconds(60)) || certs.ExitCode != 0)
            throw new InvalidOperationException($"spillway certs failed.\n{certs.Describe()}");
        CertificateAuthority = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(WorkDir, "certs", "ca.crt")));
    }

    /// <summary>The cluster CA made by <c>spillway certs</c>.</summary>
    public X509Certificate2? CertificateAuthority { get; private set; }

    /// <summary>A WebSocket client that accepts a server certificate only if it chains to the cluster CA.</summary>
    public ClientWebSocket NewWebSocketClient()
    {
        var ca = CertificateAuthority ?? throw new InvalidOperationException("the cluster is not started");
        var client = new ClientWebSocket();
        client.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is not X509Certificate2 server) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(server);
        };
        return client;
    }

    /// <summary>The cluster layout (docs/layout.md): small buffers, fast stats window, a slow logger.</summary>
    private static string LayoutJson(IEnumerable<(string Name, string Role, int Peering, int Metrics, int? WebSocket)> nodes)
    {
        var array = new JsonArray();
        foreach (var n in nodes)
        {
            var node = new JsonObject
            {
                ["name"] = n.Name,
                ["role"] = n.Role,
                ["host"] = "127.0.0.1",
                ["peering_port"] = n.Peering,
                ["metrics_port"] = n.Metrics,
            };
            if (n.WebSocket is { } ws) node["websocket_port"] = ws;
            if (n.Role == "logger") node["inbound_messages_per_second"] = LoggerInboundMessagesPerSecond;
            // Small kernel buffers on every node (as in the demo) so the send buffers, not the kernel, absorb the backlog.
            node["socket_buffer_bytes"] = 8192;
            array.Add(node);
        }
        var layout = new JsonObject
        {
            // Mutual TLS with the certificates `spillway certs` writes next to the layout (MakeCertificatesAsync).
            ["tls"] = new JsonObject { ["ca"] = "certs/ca.crt" },
            ["buffers"] = new JsonObject
            {
                ["peer_buffer_size"] = PeerBufferSize,
                ["peer_overflow_policy"] = "drop_oldest",
                ["stats_reset_interval"] = "5s",
            },
            ["nodes"] = array,
        };
        return layout.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>
    /// The repo's prometheus.yml, regenerated for the test: same global/rule_files/alerting/scrape_configs structure,
    /// the repo's job name, metrics path and honor_labels, rule files as absolute paths, the test's ports, and
    /// 1s scrape/evaluation intervals so rate windows and alerts fill quickly.
    /// </summary>
    private string PrometheusConfig()
    {
        var repo = File.ReadAllText(RepoPaths.PrometheusConfig);
        string Scalar(string key, string fallback)
        {
            var m = Regex.Match(repo, $@"^\s*{Regex.Escape(key)}:\s*([^\s#]+)", RegexOptions.Multiline);
            return m.Success ? m.Groups[1].Value.Trim('"', '\'') : fallback;
        }
        var ruleFiles = new List<string>();
        var inRuleFiles = false;
        foreach (var line in repo.Split('\n'))
        {
            if (Regex.IsMatch(line, @"^rule_files:\s*$")) { inRuleFiles = true; continue; }
            if (!inRuleFiles) continue;
            var item = Regex.Match(line, @"^\s+-\s+(.+?)\s*$");
            if (item.Success) ruleFiles.Add(item.Groups[1].Value.Trim('"', '\''));
            else if (line.Length > 0 && !char.IsWhiteSpace(line[0]) && !line.StartsWith('#')) break;
        }
        if (ruleFiles.Count == 0)
            throw new InvalidOperationException($"{RepoPaths.PrometheusConfig}: found no rule_files entries");

        var interval = $"{ScrapeIntervalSeconds}s";
        var yaml = new StringBuilder();
        yaml.AppendLine($"# Generated by Spillway.EndToEnd.Tests from {RepoPaths.PrometheusConfig} (test ports, {interval} intervals).");
        yaml.AppendLine("global:");
        yaml.AppendLine($"  scrape_interval: {interval}");
        yaml.AppendLine($"  scrape_timeout: {interval}");
        yaml.AppendLine($"  evaluation_interval: {interval}");
        yaml.AppendLine("rule_files:");
        foreach (var f in ruleFiles) yaml.AppendLine($"  - \"{Path.GetFullPath(Path.Combine(RepoPaths.Root, f))}\"");
        yaml.AppendLine("alerting:");
        yaml.AppendLine("  alertmanagers:");
        yaml.AppendLine("    - static_configs:");
        yaml.AppendLine($"        - targets: [\"127.0.0.1:{AlertmanagerPort}\"]");
        yaml.AppendLine("scrape_configs:");
        yaml.AppendLine($"  - job_name: {Scalar("job_name", "spillway")}");
        yaml.AppendLine($"    metrics_path: {Scalar("metrics_path", "/metrics")}");
        yaml.AppendLine($"    honor_labels: {Scalar("honor_labels", "false")}");
        yaml.AppendLine("    static_configs:");
        yaml.AppendLine("      - targets:");
        foreach (var n in Nodes) yaml.AppendLine($"          - 127.0.0.1:{n.MetricsPort}");
        return yaml.ToString();
    }

    private static string AlertmanagerConfig(string webhookUrl) => $"""
        # Generated by Spillway.EndToEnd.Tests: every alert goes to the test's webhook receiver at once.
        route:
          receiver: test-webhook
          group_by: ['alertname', 'node', 'peer']
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: test-webhook
            webhook_configs:
              - url: '{webhookUrl}'
                send_resolved: false
        """;

    public async Task DisposeAsync()
    {
        // Prometheus and Alertmanager first (no scrapes of dying nodes), then the nodes, then the webhook.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            try { await _processes[i].DisposeAsync(); }
            catch (Exception e) { Trace.WriteLine($"stopping {_processes[i].Name}: {e.Message}"); }
        }
        _processes.Clear();
        if (Webhook is not null) await Webhook.DisposeAsync();
        Http.Dispose();
        if (WorkDir.Length == 0 || !Directory.Exists(WorkDir)) return;
        if (_keepWorkDir)
        {
            Console.Error.WriteLine($"Spillway.EndToEnd.Tests: kept the cluster's logs and data in {WorkDir}");
            return;
        }
        try { Directory.Delete(WorkDir, recursive: true); }
        catch (IOException e) { Console.Error.WriteLine($"Spillway.EndToEnd.Tests: could not delete {WorkDir}: {e.Message}"); }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "end-to-end cluster";
}
