using Spillway.Node.Security;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Tests.Security;

/// <summary>Loading a node's TLS material from real files written by <see cref="ClusterCertificates"/>; every problem names the file and field.</summary>
public sealed class NodeSecurityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spillway-security-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string LayoutPath => Path.Combine(_dir, "cluster.json");

    private ClusterLayout WriteLayout(string tls, string workerExtra = "")
    {
        File.WriteAllText(LayoutPath, $$"""
            {
              "tls": {{tls}},
              "nodes": [
                { "name": "manager", "role": "manager", "host": "127.0.0.1", "peering_port": 9201, "metrics_port": 9101 },
                { "name": "worker-1", "role": "worker", "host": "127.0.0.1", "peering_port": 9202, "metrics_port": 9102 {{workerExtra}} },
                { "name": "worker-2", "role": "worker", "host": "127.0.0.1", "peering_port": 9203, "metrics_port": 9103 }
              ]
            }
            """);
        return LayoutLoader.Load(LayoutPath);
    }

    private void WriteCertificates(string folder) =>
        ClusterCertificates.WriteCluster(WriteLayout("\"off\""), Path.Combine(_dir, folder), TimeSpan.FromDays(2), CertificateKeyType.EcdsaP256);

    private LayoutException Fails(ClusterLayout layout, string node = "worker-1") =>
        Assert.Throws<LayoutException>(() => NodeSecurity.Load(layout, layout.Get(node)));

    [Fact]
    public void Certificates_from_spillway_certs_load_with_the_node_name_as_identity()
    {
        WriteCertificates("certs");
        var layout = WriteLayout("""{ "ca": "certs/ca.crt" }""");

        var security = NodeSecurity.Load(layout, layout.Get("worker-1"));

        Assert.False(security.IsPlaintext);
        Assert.Null(security.PeerTls!.Verify(security.PeerTls.Certificate, out var identity));
        Assert.Equal(["worker-1"], identity!.DnsNames);
        Assert.True(security.PeerTls.Certificate.HasPrivateKey);
    }

    [Fact]
    public void Off_is_plaintext_and_a_missing_section_is_an_error_naming_tls()
    {
        Assert.True(NodeSecurity.Load(WriteLayout("\"off\""), WriteLayout("\"off\"").Get("manager")).IsPlaintext);
        var layout = new ClusterLayout(WriteLayout("\"off\"").Nodes, source: LayoutPath);
        var e = Fails(layout);
        Assert.Equal("tls", e.Field);
        Assert.StartsWith($"{LayoutPath}: tls: required property missing", e.Message);
    }

    [Fact]
    public void A_missing_CA_file_names_tls_ca_and_the_path()
    {
        var e = Fails(WriteLayout("""{ "ca": "nowhere/ca.crt" }"""));
        Assert.Equal($"{LayoutPath}: tls.ca: file not found: {Path.Combine(_dir, "nowhere", "ca.crt")}", e.Message);
    }

    [Fact]
    public void A_missing_node_certificate_names_the_node_field_and_the_default_file()
    {
        WriteCertificates("certs");
        File.Delete(Path.Combine(_dir, "certs", "worker-1.crt"));
        var e = Fails(WriteLayout("""{ "ca": "certs/ca.crt" }"""));
        Assert.Equal($"{LayoutPath}: nodes[1].certificate (default: worker-1.crt beside tls.ca): file not found: {Path.Combine(_dir, "certs", "worker-1.crt")}", e.Message);
    }

    [Fact]
    public void Another_nodes_certificate_is_refused()
    {
        WriteCertificates("certs");
        var e = Fails(WriteLayout("""{ "ca": "certs/ca.crt" }""", """, "certificate": "certs/worker-2.crt", "key": "certs/worker-2.key" """));
        Assert.Equal("nodes[1].certificate", e.Field);
        Assert.Contains("is for worker-2, not for this node 'worker-1'", e.Problem);
    }

    [Fact]
    public void A_certificate_from_another_CA_is_refused()
    {
        WriteCertificates("certs");
        WriteCertificates("other");
        var e = Fails(WriteLayout("""{ "ca": "certs/ca.crt" }""", """, "certificate": "other/worker-1.crt", "key": "other/worker-1.key" """));
        Assert.Equal("nodes[1].certificate", e.Field);
        Assert.Contains("is not signed by the cluster CA", e.Problem);
    }

    [Fact]
    public void A_key_that_does_not_match_the_certificate_names_both_fields()
    {
        WriteCertificates("certs");
        var e = Fails(WriteLayout("""{ "ca": "certs/ca.crt" }""", """, "certificate": "certs/worker-1.crt", "key": "certs/worker-2.key" """));
        Assert.Equal("nodes[1].certificate, nodes[1].key", e.Field);
        Assert.Contains("cannot load", e.Problem);
    }

    [Theory]
    [InlineData(CertificateKeyType.Rsa2048)]
    [InlineData(CertificateKeyType.EcdsaP256)]
    public void Key_types_make_loadable_certificates(CertificateKeyType keyType)
    {
        ClusterCertificates.WriteCluster(WriteLayout("\"off\""), Path.Combine(_dir, "k"), TimeSpan.FromDays(1), keyType);
        var layout = WriteLayout("""{ "ca": "k/ca.crt" }""");
        Assert.False(NodeSecurity.Load(layout, layout.Get("manager")).IsPlaintext);
    }
}
