using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Spillway.Engine.Buffers;
using Spillway.Engine.Peering;
using Spillway.Node.Hosting;
using Spillway.Node.Security;
using Spillway.Telemetry.Export;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Tests.Cluster;

/// <summary>Nodes of a layout on free loopback ports, each a full <see cref="NodeHost"/> (engine, naming, HTTP).</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly Dictionary<string, NodeHost> _hosts = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public TestCluster(params (string Name, NodeRole Role, int Inbound, BufferSettings? Buffers)[] nodes)
        : this(nodes, webSocketNode: null) { }

    /// <param name="webSocketNode">The node that also serves the WebSocket API, if any.</param>
    public TestCluster(IReadOnlyList<(string Name, NodeRole Role, int Inbound, BufferSettings? Buffers)> nodes, string? webSocketNode)
    {
        var ports = FreePorts.Reserve(nodes.Count * 3);
        Layout = new ClusterLayout(nodes.Select((n, i) => new NodeSpec
        {
            Name = n.Name, Role = n.Role, Host = "127.0.0.1", PeeringPort = ports[3 * i], MetricsPort = ports[3 * i + 1],
            WebSocketPort = n.Name == webSocketNode ? ports[3 * i + 2] : null,
            InboundMessagesPerSecond = n.Inbound, SocketBufferBytes = 8192, Buffers = n.Buffers ?? BufferSettings.Default,
        }));
        // Secure like a real cluster: a CA made here and one certificate per node (ECDSA, milliseconds to make).
        Authority = ClusterCertificates.CreateAuthority("test cluster", TimeSpan.FromDays(1), CertificateKeyType.EcdsaP256);
        foreach (var node in Layout.Nodes)
            _certificates[node.Name] = ClusterCertificates.IssueNode(Authority, node, TimeSpan.FromDays(1), CertificateKeyType.EcdsaP256);
    }

    private readonly Dictionary<string, X509Certificate2> _certificates = new();

    /// <summary>WebSocket listeners require a client certificate from the cluster CA (<c>tls.websocket_client_certificates</c>).</summary>
    public bool WebSocketClientCertificates { get; init; }

    /// <summary>The certificate (with key) the cluster made for <paramref name="name"/>.</summary>
    public X509Certificate2 CertificateOf(string name) => _certificates[name];

    private NodeSecurity SecurityOf(string name) => NodeSecurity.FromCertificates(_certificates[name], Authority, WebSocketClientCertificates);

    /// <summary>The cluster's CA; every node's certificate is signed by it.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The node's WebSocket API (wss, served with the node's certificate).</summary>
    public Uri WebSocketUri(string name) => new($"wss://127.0.0.1:{Layout.Get(name).WebSocketPort}/v1/messages/json");

    /// <summary>A WebSocket client that trusts the cluster CA (and nothing else) for the server's certificate.</summary>
    public ClientWebSocket NewWebSocketClient()
    {
        var client = new ClientWebSocket();
        var tls = new PeerTlsOptions(_certificates.Values.First(), Authority);
        client.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is X509Certificate2 c && tls.Verify(c, out _) is null;
        return client;
    }

    public ClusterLayout Layout { get; }
    public NodeHost this[string name] => _hosts[name];

    /// <param name="webConfig">Protection of the node's /metrics and /peers (<c>--web-config-file</c>), if any.</param>
    public async Task StartAsync(string name, MetricsExporterKind exporter = MetricsExporterKind.OpenTelemetry, WebConfig? webConfig = null) =>
        _hosts[name] = await NodeHost.StartAsync(Layout, Layout.Get(name), new NodeHostOptions { Exporter = exporter, Security = SecurityOf(name), WebConfig = webConfig },
            NullLoggerFactory.Instance, CancellationToken.None);

    public async Task StopAsync(string name)
    {
        await _hosts[name].DisposeAsync();
        _hosts.Remove(name);
    }

    public async Task<string> ScrapeTextAsync(string name) =>
        await _http.GetStringAsync($"http://127.0.0.1:{Layout.Get(name).MetricsPort}/metrics");

    public async Task<PrometheusText.Exposition> ScrapeAsync(string name) => PrometheusText.Parse(await ScrapeTextAsync(name));

    public async Task<PeersReport> PeersAsync(string name) =>
        PeersReportJson.Parse(await _http.GetByteArrayAsync($"http://127.0.0.1:{Layout.Get(name).MetricsPort}/peers"));

    /// <summary>Waits until <paramref name="name"/>'s /peers shows exactly these named peers.</summary>
    public Task WaitForNamesAsync(string name, params string[] peers)
    {
        string[] seen = [];
        return Eventually.HoldsAsync(
            async () => (seen = (await PeersAsync(name)).Peers.Select(p => p.Name ?? "(unnamed)").Order().ToArray()).SequenceEqual(peers.Order()),
            () => Task.FromResult($"{name}: expected named peers [{string.Join(", ", peers.Order())}], /peers shows [{string.Join(", ", seen)}]"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values) await host.DisposeAsync();
        _http.Dispose();
    }
}
