using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using Spillway.Node.Hosting;
using Spillway.Node.Security;
using Spillway.Node.Tests.Cluster;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Tests.Security;

/// <summary>/metrics and /peers behind an exporter-toolkit web config (HTTPS + bcrypt basic auth); wss with and without client certificates.</summary>
public sealed class WebConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spillway-webconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private WebConfig WriteWebConfig(TestCluster keys, string node, string password)
    {
        ClusterCertificates.WritePem(keys.CertificateOf(node), Path.Combine(_dir, "web.crt"), Path.Combine(_dir, "web.key"));
        var path = Path.Combine(_dir, "web.yml");
        File.WriteAllText(path, $"""
            # exporter-toolkit format, as node_exporter reads it
            tls_server_config:
              cert_file: web.crt
              key_file: web.key
            basic_auth_users:
              prometheus: {BCrypt.Net.BCrypt.HashPassword(password, workFactor: 4)}
            """);
        return WebConfigLoader.Load(path);
    }

    private static HttpClient TrustingClient(TestCluster cluster)
    {
        var tls = new Engine.Peering.PeerTlsOptions(cluster.CertificateOf("manager"), cluster.Authority);
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c is not null && tls.Verify(c, out _) is null };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [Fact]
    public async Task Metrics_over_https_answer_401_to_a_wrong_password_and_200_to_the_right_one()
    {
        await using var cluster = new TestCluster(("manager", NodeRole.Manager, 0, null));
        await cluster.StartAsync("manager", webConfig: WriteWebConfig(cluster, "manager", "s3cret"));
        using var http = TrustingClient(cluster);
        var url = $"https://127.0.0.1:{cluster.Layout.Get("manager").MetricsPort}";

        foreach (var (auth, expected) in new (AuthenticationHeaderValue?, HttpStatusCode)[]
                 {
                     (null, HttpStatusCode.Unauthorized),
                     (Basic("prometheus", "wrong"), HttpStatusCode.Unauthorized),
                     (Basic("someone", "s3cret"), HttpStatusCode.Unauthorized),
                     (Basic("prometheus", "s3cret"), HttpStatusCode.OK),
                 })
        {
            foreach (var path in new[] { "/metrics", "/peers" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url + path) { Headers = { Authorization = auth } };
                using var response = await http.SendAsync(request);
                Assert.True(expected == response.StatusCode, $"{path} with {auth?.Parameter ?? "no credentials"}: {(int)response.StatusCode}");
            }
        }
        using var plain = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync($"http://127.0.0.1:{cluster.Layout.Get("manager").MetricsPort}/metrics"));
    }

    [Fact]
    public void A_bad_web_config_names_the_file_and_field()
    {
        var path = Path.Combine(_dir, "bad.yml");
        File.WriteAllText(path, "tls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n");
        var e = Assert.Throws<LayoutException>(() => WebConfigLoader.Load(path));
        Assert.Equal($"{path}: tls_server_config.cert_file: file not found: {Path.Combine(_dir, "missing.crt")}", e.Message);

        File.WriteAllText(path, "tls_server_config:\n  client_allowed_sans: [worker-1]\n");
        e = Assert.Throws<LayoutException>(() => WebConfigLoader.Load(path));
        Assert.Equal("tls_server_config.client_allowed_sans", e.Field);

        File.WriteAllText(path, "basic_auth_users:\n  prometheus: plaintext-password\n");
        e = Assert.Throws<LayoutException>(() => WebConfigLoader.Load(path));
        Assert.Equal("basic_auth_users.prometheus", e.Field);
    }

    [Fact]
    public async Task Wss_round_trip_and_client_certificates_when_required()
    {
        await using var cluster = new TestCluster([("manager", NodeRole.Manager, 0, null), ("worker-1", NodeRole.Worker, 0, null)], webSocketNode: "manager")
        {
            WebSocketClientCertificates = true,
        };
        await cluster.StartAsync("manager");

        // Without a client certificate the TLS handshake is refused.
        using (var anonymous = cluster.NewWebSocketClient())
            await Assert.ThrowsAnyAsync<WebSocketException>(() => anonymous.ConnectAsync(cluster.WebSocketUri("manager"), CancellationToken.None));

        // With the worker's certificate (signed by the cluster CA): subscribe, receive a publish.
        using var client = cluster.NewWebSocketClient();
        client.Options.ClientCertificates.Add(cluster.CertificateOf("worker-1"));
        await client.ConnectAsync(cluster.WebSocketUri("manager"), CancellationToken.None);
        await client.SendAsync("[\"wss/\"]"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        var ack = await client.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Contains("\"ack\"", Encoding.UTF8.GetString(buffer, 0, ack.Count));
        await Eventually.HoldsAsync(() => Task.FromResult(cluster["manager"].Endpoint.Publish("wss/hello", Engine.Data.Value.Of(42L)) == 1),
            () => Task.FromResult("the client's subscription never registered"));
        var message = await client.ReceiveAsync(buffer, CancellationToken.None);
        var text = Encoding.UTF8.GetString(buffer, 0, message.Count);
        Assert.Contains("\"topic\":\"wss/hello\"", text);
        Assert.Contains("42", text);
    }
}
