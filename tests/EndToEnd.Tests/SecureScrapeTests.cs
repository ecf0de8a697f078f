using System.Globalization;

namespace Spillway.EndToEnd.Tests;

/// <summary>
/// A real Prometheus scraping a node over https with basic auth (docs/security.md): certificates from the real
/// <c>spillway certs</c>, the node started with <c>--web-config-file</c>, the scrape config from the docs. The job with the
/// right password is up; the same target with a wrong password is down with a 401.
/// </summary>
public sealed class SecureScrapeTests
{
    private const string Password = "scrape-secret";

    [Fact]
    public async Task Prometheus_scrapes_over_https_with_basic_auth_and_a_wrong_password_gets_401()
    {
        var workDir = Directory.CreateTempSubdirectory("spillway-e2e-https-").FullName;
        var ports = FreePorts.Reserve(3);
        var (peering, metrics, prometheusPort) = (ports[0], ports[1], ports[2]);
        var layout = Path.Combine(workDir, "layout.json");
        await File.WriteAllTextAsync(layout, $$"""
            { "tls": { "ca": "certs/ca.crt" },
              "nodes": [ { "name": "logger", "role": "logger", "host": "127.0.0.1", "peering_port": {{peering}}, "metrics_port": {{metrics}} } ] }
            """);
        var processes = new List<ChildProcess>();
        var passed = false;
        try
        {
            var certs = ChildProcess.Start("certs", RepoPaths.DotnetHost, [RepoPaths.SpillwayDll, "certs", "--layout", layout, "--out", Path.Combine(workDir, "certs")],
                Path.Combine(workDir, "certs.log"));
            processes.Add(certs);
            Assert.True(await certs.WaitForExitAsync(TimeSpan.FromSeconds(60)) && certs.ExitCode == 0, $"spillway certs failed.\n{certs.Describe()}");

            var webConfig = Path.Combine(workDir, "web.yml");
            await File.WriteAllTextAsync(webConfig, $"""
                tls_server_config:
                  cert_file: certs/logger.crt
                  key_file: certs/logger.key
                basic_auth_users:
                  prometheus: {BCrypt.Net.BCrypt.HashPassword(Password, workFactor: 10)}
                """);
            var node = ChildProcess.Start("logger", RepoPaths.DotnetHost,
                [RepoPaths.SpillwayDll, "node", "--layout", layout, "--name", "logger", "--web-config-file", webConfig,
                 "--exit-with-parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
                Path.Combine(workDir, "logger.log"));
            processes.Add(node);

            var ca = Path.Combine(workDir, "certs", "ca.crt");
            var promConfig = Path.Combine(workDir, "prometheus.yml");
            await File.WriteAllTextAsync(promConfig, $"""
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: spillway
                    scheme: https
                    tls_config:
                      ca_file: {ca}
                    basic_auth:
                      username: prometheus
                      password: {Password}
                    honor_labels: true
                    static_configs:
                      - targets: ['127.0.0.1:{metrics}']
                  - job_name: wrong-password
                    scheme: https
                    tls_config:
                      ca_file: {ca}
                    basic_auth:
                      username: prometheus
                      password: not-the-password
                    static_configs:
                      - targets: ['127.0.0.1:{metrics}']
                """);
            var prometheus = ChildProcess.Start("prometheus", RepoPaths.Prometheus,
                [$"--config.file={promConfig}", $"--storage.tsdb.path={Path.Combine(workDir, "prometheus-data")}",
                 $"--web.listen-address=127.0.0.1:{prometheusPort}"],
                Path.Combine(workDir, "prometheus.log"));
            processes.Add(prometheus);

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var api = new PrometheusApi(http, $"http://127.0.0.1:{prometheusPort}");
            string Context() => string.Join("\n", processes.Select(p => p.Describe(15)));
            await Eventually.UntilAsync("job spillway up and job wrong-password down with a 401", TimeSpan.FromSeconds(90), async () =>
            {
                if (node.HasExited) throw new Xunit.Sdk.XunitException($"the node exited.\n{Context()}");
                var targets = await api.ActiveTargetsAsync();
                string Health(string job) => targets.Where(t => PrometheusApi.Label(t, "job") == job)
                    .Select(t => $"{t.GetProperty("health").GetString()} ({t.GetProperty("lastError").GetString()})").FirstOrDefault() ?? "(no target)";
                var good = Health("spillway");
                var bad = Health("wrong-password");
                return (good.StartsWith("up", StringComparison.Ordinal) && bad.StartsWith("down", StringComparison.Ordinal) && bad.Contains("401"),
                    $"spillway: {good}; wrong-password: {bad}");
            }, Context);

            var capacity = await api.QueryAsync("spillway_websocket_clients{job=\"spillway\"}");
            Assert.True(capacity.GetArrayLength() == 1, $"expected the node's series scraped over https, got {PrometheusApi.Render(capacity)}");
            passed = true;
        }
        finally
        {
            foreach (var p in processes) await p.DisposeAsync();
            if (passed) Directory.Delete(workDir, recursive: true);
            else Console.Error.WriteLine($"Spillway.EndToEnd.Tests: kept the logs in {workDir}");
        }
    }
}
