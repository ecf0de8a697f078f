using System.Net;
using System.Security.Cryptography.X509Certificates;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;

namespace Spillway.Telemetry.Tests.Naming;

/// <summary>On TLS peerings a node's name is its certificate's: a hello claiming another name is refused, logged, and never named or counted.</summary>
public class TlsNamingTests
{
    private readonly X509Certificate2 _ca = TestCertificates.CreateAuthority();

    private EndpointOptions Options(string certificateName) =>
        new() { Tls = TestCertificates.For(_ca, certificateName), RetryInterval = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task A_hello_matching_the_certificate_names_the_peer()
    {
        await using var manager = new TestNode("manager", Options("manager"));
        await using var worker = new TestNode("worker-1", Options("worker-1"));
        worker.Dial(manager);

        await manager.WaitForNamedPeersAsync("worker-1");
        await worker.WaitForNamedPeersAsync("manager");
    }

    [Fact]
    public async Task A_certificate_for_worker_2_saying_it_is_worker_1_is_refused_and_never_named_or_counted()
    {
        var logs = new RecordingLoggerProvider();
        await using var manager = new TestNode("manager", Options("manager"), logs.CreateFactory());
        await using (var impostor = new TestNode("worker-1", Options("worker-2")))
        {
            impostor.Dial(manager);
            // The impostor re-dials after each refusal; two refusals show the rule holds on every attempt.
            await Eventually.HoldsAsync(() => Refusals(logs) >= 2, () => "no refusal logged; log: " + string.Join(" | ", logs.Lines));
            var snapshot = manager.Snapshot();
            Assert.Empty(snapshot.PeerBuffers);
            Assert.Empty(snapshot.PeerOverflows);
            Assert.Empty(snapshot.BackpressureDisconnects);
            Assert.All(manager.Telemetry.BuildReport().Peers, p => Assert.Null(p.Name));
            Assert.DoesNotContain(logs.Lines, l => l.Contains("is worker-1") || l.Contains("is worker-2"));
        }

        // The name was never taken: the real worker-1 gets it.
        await using var real = new TestNode("worker-1", Options("worker-1"));
        real.Dial(manager);
        await manager.WaitForNamedPeersAsync("worker-1");
    }

    [Fact]
    public async Task An_external_endpoint_with_a_CA_certificate_but_no_layout_name_peers_unnamed_and_receives_messages()
    {
        await using var manager = new TestNode("manager", Options("manager"));
        await using var tool = new SpillwayEndpoint(Options("ops-console"));
        var received = 0;
        tool.Subscribe("spillway/events/", (_, _) => Interlocked.Increment(ref received));
        tool.Peer("127.0.0.1", manager.Port);

        await Eventually.HoldsAsync(() => manager.Endpoint.Peers.Count == 1 && manager.Endpoint.AnnouncedSubscriptions.Count >= 1,
            () => "the external endpoint did not peer");
        Assert.Equal(["ops-console"], manager.Endpoint.Peers[0].Identity!.DnsNames);
        await Eventually.HoldsAsync(() => manager.Endpoint.Publish("spillway/events/x", Value.Of(1L)) == 1 && Volatile.Read(ref received) >= 1,
            () => "no message reached the external endpoint");
        Assert.Empty(manager.Snapshot().PeerBuffers);
        Assert.Null(Assert.Single(manager.Telemetry.BuildReport().Peers).Name);
    }

    private static int Refusals(RecordingLoggerProvider logs) => logs.Lines.Count(l =>
        l.Contains("refusing the peer") && l.Contains("its hello says 'worker-1' but its certificate is for worker-2"));
}
