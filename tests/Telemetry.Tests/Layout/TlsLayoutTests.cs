using Spillway.Telemetry.Layout;

namespace Spillway.Telemetry.Tests.Layout;

public class TlsLayoutTests
{
    private static string WithTls(string tls, string nodeExtra = "") =>
        LayoutTestData.Edit(("{\n  \"buffers\"", "{\n  \"tls\": " + tls + ",\n  \"buffers\""), ("\"socket_buffer_bytes\": 4096", "\"socket_buffer_bytes\": 4096" + nodeExtra));

    [Fact]
    public void No_tls_section_parses_as_not_configured()
    {
        Assert.Null(LayoutLoader.Parse(LayoutTestData.Valid, LayoutTestData.Source).Tls);
    }

    [Fact]
    public void Off_is_the_explicit_plaintext_opt_out()
    {
        var layout = LayoutLoader.Parse(WithTls("\"off\""), LayoutTestData.Source);
        Assert.Equal(TlsLayout.Off, layout.Tls);
        Assert.Contains("\"tls\": \"off\"", layout.ToJson());
    }

    [Fact]
    public void A_ca_file_and_per_node_certificate_and_key_round_trip()
    {
        var layout = LayoutLoader.Parse(
            WithTls("""{ "ca": "certs/ca.crt", "websocket_client_certificates": true }""", """, "certificate": "w1.pem", "key": "w1-key.pem" """),
            "conf/cluster.json");
        Assert.Equal(TlsLayout.WithAuthority("certs/ca.crt", webSocketClientCertificates: true), layout.Tls);
        var worker = layout.Get("worker-1");
        Assert.Equal(("w1.pem", "w1-key.pem"), (worker.CertificateFile, worker.KeyFile));
        Assert.Null(layout.Get("manager").CertificateFile);
        Assert.Equal(layout, LayoutLoader.Parse(layout.ToJson(), "again.json"));
        Assert.Equal(Path.Combine("certs", "manager.crt"), layout.Tls!.DefaultCertificateFile("manager"));
    }

    [Fact]
    public void Relative_paths_resolve_against_the_layout_file()
    {
        Assert.Equal(Path.GetFullPath(Path.Combine("conf", "certs", "ca.crt")), TlsLayout.ResolvePath(Path.Combine("conf", "cluster.json"), "certs/ca.crt"));
        Assert.Equal("/etc/spillway/ca.crt", TlsLayout.ResolvePath("conf/cluster.json", "/etc/spillway/ca.crt"));
    }

    [Theory]
    [InlineData("\"on\"", "tls", "expected \"off\" or an object with \"ca\" (the cluster CA file), got \"on\"")]
    [InlineData("false", "tls", "expected \"off\" or an object with \"ca\" (the cluster CA file), got the boolean false")]
    [InlineData("{}", "tls.ca", "required property missing")]
    [InlineData("""{ "ca": "" }""", "tls.ca", "must not be empty")]
    [InlineData("""{ "ca": 1 }""", "tls.ca", "expected a string, got the number 1")]
    [InlineData("""{ "ca": "ca.crt", "cert": "x" }""", "tls.cert", "unknown property (expected ca or websocket_client_certificates)")]
    [InlineData("""{ "ca": "ca.crt", "websocket_client_certificates": "yes" }""", "tls.websocket_client_certificates", "expected true or false, got a string")]
    public void A_bad_tls_section_names_the_field(string tls, string field, string problem)
    {
        var e = Assert.Throws<LayoutException>(() => LayoutLoader.Parse(WithTls(tls), LayoutTestData.Source));
        Assert.Equal($"{LayoutTestData.Source}: {field}: {problem}", e.Message);
    }

    [Fact]
    public void An_empty_node_key_path_names_the_field()
    {
        var e = Assert.Throws<LayoutException>(() => LayoutLoader.Parse(WithTls("\"off\"", """, "key": "" """), LayoutTestData.Source));
        Assert.Equal($"{LayoutTestData.Source}: nodes[1].key: must not be empty", e.Message);
    }
}
