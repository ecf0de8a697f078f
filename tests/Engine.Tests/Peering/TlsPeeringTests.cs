using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;

namespace Spillway.Engine.Tests.Peering;

/// <summary>
/// Mutual TLS over real sockets with certificates made here: a good pair peers and exchanges messages;
/// every bad credential is refused at the TLS step, logged with its reason, and never becomes a peering.
/// </summary>
public class TlsPeeringTests : IAsyncLifetime
{
    private readonly X509Certificate2 _ca = TestCertificates.CreateAuthority();
    private readonly RecordingLoggerProvider _logs = new();
    private SpillwayEndpoint _node = null!;
    private PeerEvents _events = null!;
    private int _port;
    private readonly List<SpillwayEndpoint> _others = new();

    public Task InitializeAsync()
    {
        _node = new SpillwayEndpoint(new EndpointOptions { Tls = TestCertificates.For(_ca, "manager") }, _logs.CreateFactory());
        _events = new PeerEvents(_node);
        _port = _node.Listen(IPAddress.Loopback, 0);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var other in _others) await other.DisposeAsync();
        await _node.DisposeAsync();
    }

    private SpillwayEndpoint Dialer(PeerTlsOptions? tls, RecordingLoggerProvider? logs = null)
    {
        var endpoint = new SpillwayEndpoint(new EndpointOptions { Tls = tls, RetryInterval = TimeSpan.FromMinutes(10) }, logs?.CreateFactory());
        _others.Add(endpoint);
        return endpoint;
    }

    private async Task<string> WaitForRejectionAsync()
    {
        string? line = null;
        await Eventually.HoldsAsync(() => (line = _logs.Lines.FirstOrDefault(l => l.Contains("Rejected connection from"))) is not null,
            () => "no rejection logged; log: " + string.Join(" | ", _logs.Lines));
        return line!;
    }

    /// <summary>The refused remote never became a peering: no event, no peer, no stats row.</summary>
    private void AssertNeverPeered()
    {
        Assert.Empty(_events.All);
        Assert.Empty(_node.Peers);
        Assert.Empty(_node.GetPeeringStats().Rows);
    }

    [Fact]
    public async Task Peers_with_a_certificate_from_the_cluster_CA_and_messages_flow_both_ways()
    {
        var received = new List<string>();
        _node.Subscribe("t/", (topic, value) => { lock (received) received.Add(topic + "=" + ((IntegerValue)value).Value); });
        var worker = Dialer(TestCertificates.For(_ca, "worker-1"));
        var workerReceived = new List<string>();
        worker.Subscribe("back/", (topic, _) => { lock (workerReceived) workerReceived.Add(topic); });
        var workerEvents = new PeerEvents(worker);
        worker.Peer("127.0.0.1", _port);

        var added = await _events.WaitForAsync("added");
        var workerAdded = await workerEvents.WaitForAsync("added");
        Assert.Equal(["worker-1"], added.Peer.Identity!.DnsNames);
        Assert.Equal(["manager"], workerAdded.Peer.Identity!.DnsNames);

        await Eventually.HoldsAsync(() => worker.Peers.Count == 1 && _node.AnnouncedSubscriptions.Count == 1, () => "not peered");
        for (long i = 0; i < 100; i++)
            await Eventually.HoldsAsync(() => worker.Publish("t/x", Value.Of(i)) == 1, () => "the manager's subscription did not reach the worker");
        await Eventually.HoldsAsync(() => { lock (received) return received.Count == 100; }, () => $"{received.Count} of 100 arrived");
        lock (received) Assert.Equal(Enumerable.Range(0, 100).Select(i => $"t/x={i}"), received);

        await Eventually.HoldsAsync(() => _node.Publish("back/y", Value.Of(1L)) == 1, () => "the worker's subscription did not reach the manager");
        await Eventually.HoldsAsync(() => { lock (workerReceived) return workerReceived.Count >= 1; }, () => "nothing arrived at the worker");
    }

    [Fact]
    public async Task A_remote_without_a_client_certificate_is_refused()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _port);
        await using var ssl = new SslStream(new NetworkStream(socket), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "manager" });
        // TLS 1.3: the server judges the client's (missing) certificate after the client's finished; its verdict arrives on read.
        var buffer = new byte[256];
        try { while (await ssl.ReadAsync(buffer) > 0) { } } catch (IOException) { }

        Assert.Contains("no client certificate", await WaitForRejectionAsync());
        AssertNeverPeered();
    }

    [Fact]
    public async Task A_certificate_from_another_CA_is_refused()
    {
        var stranger = Dialer(TestCertificates.For(TestCertificates.CreateAuthority("Another CA"), "worker-1"));
        stranger.Peer("127.0.0.1", _port);

        Assert.Contains("is not signed by the cluster CA", await WaitForRejectionAsync());
        AssertNeverPeered();
    }

    [Fact]
    public async Task An_expired_certificate_is_refused()
    {
        var expired = TestCertificates.Issue(_ca, "worker-1", DateTimeOffset.UtcNow.AddDays(-20), DateTimeOffset.UtcNow.AddDays(-1));
        var stale = Dialer(new PeerTlsOptions(expired, _ca));
        stale.Peer("127.0.0.1", _port);

        Assert.Contains("outside its validity period", await WaitForRejectionAsync());
        AssertNeverPeered();
    }

    [Fact]
    public async Task A_plaintext_peer_is_refused_by_a_TLS_node()
    {
        var plain = Dialer(tls: null);
        plain.Peer("127.0.0.1", _port);

        Assert.Contains("TLS handshake failed", await WaitForRejectionAsync());
        AssertNeverPeered();
    }

    [Fact]
    public async Task A_dialer_refuses_a_listener_whose_certificate_is_from_another_CA()
    {
        var impostor = new SpillwayEndpoint(new EndpointOptions { Tls = TestCertificates.For(TestCertificates.CreateAuthority("Impostor CA"), "manager") });
        _others.Add(impostor);
        var impostorPort = impostor.Listen(IPAddress.Loopback, 0);
        var dialerLogs = new RecordingLoggerProvider();
        var worker = Dialer(TestCertificates.For(_ca, "worker-1"), dialerLogs);
        var workerEvents = new PeerEvents(worker);
        worker.Peer("127.0.0.1", impostorPort);

        await Eventually.HoldsAsync(() => dialerLogs.Lines.Any(l => l.Contains("Could not peer") && l.Contains("is not signed by the cluster CA")),
            () => "no refusal logged; log: " + string.Join(" | ", dialerLogs.Lines));
        Assert.Empty(workerEvents.All);
        Assert.Empty(worker.Peers);
    }
}
