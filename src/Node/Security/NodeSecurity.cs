using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spillway.Engine.Peering;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Security;

/// <summary>
/// What one node needs for TLS, loaded and checked at start from the layout's <c>tls</c> section and the node's certificate
/// and key: the peering options (mutual TLS against the cluster CA), the certificate the WebSocket listener serves, and
/// whether WebSocket clients must show a certificate. <see cref="Plaintext"/> is the explicit opt-out.
/// </summary>
public sealed class NodeSecurity
{
    private NodeSecurity(PeerTlsOptions? peerTls, bool webSocketClientCertificates)
    {
        PeerTls = peerTls;
        WebSocketClientCertificates = webSocketClientCertificates;
    }

    /// <summary><c>"tls": "off"</c>: plaintext peerings and WebSocket.</summary>
    public static NodeSecurity Plaintext { get; } = new(null, false);

    /// <summary>Null in plaintext.</summary>
    public PeerTlsOptions? PeerTls { get; }

    public bool IsPlaintext => PeerTls is null;

    /// <summary>WebSocket clients must present a certificate signed by the cluster CA (<c>tls.websocket_client_certificates</c>).</summary>
    public bool WebSocketClientCertificates { get; }

    /// <summary>TLS with certificates already in memory (tests, and nodes run in-process).</summary>
    public static NodeSecurity FromCertificates(X509Certificate2 certificate, X509Certificate2 authority, bool webSocketClientCertificates = false) =>
        new(new PeerTlsOptions(certificate, authority), webSocketClientCertificates);

    /// <summary>
    /// Loads and checks the files the layout names for <paramref name="node"/>. Every problem is a <see cref="LayoutException"/>
    /// naming the layout file, the field (<c>tls</c>, <c>tls.ca</c>, <c>nodes[i].certificate</c>, <c>nodes[i].key</c>) and the file.
    /// </summary>
    public static NodeSecurity Load(ClusterLayout layout, NodeSpec node)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(node);
        var tls = layout.Tls ?? throw new LayoutException(layout.Source, "tls",
            "required property missing: give the cluster CA ({\"ca\": \"certs/ca.crt\"}; `spillway certs` makes one) or \"off\" for plaintext");
        if (!tls.Enabled) return Plaintext;

        string source = layout.Source;
        string nodePath = $"nodes[{IndexOf(layout, node)}]";
        string caField = "tls.ca";
        string caFile = TlsLayout.ResolvePath(source, tls.CaFile!);
        X509Certificate2 authority;
        try
        {
            RequireFile(source, caField, caFile);
            authority = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or FormatException)
        {
            throw new LayoutException(source, caField, $"cannot read the CA certificate {caFile}: {e.Message}", e);
        }

        var certificateField = node.CertificateFile is null ? $"{nodePath}.certificate (default: {node.Name}.crt beside tls.ca)" : $"{nodePath}.certificate";
        var keyField = node.KeyFile is null ? $"{nodePath}.key (default: {node.Name}.key beside tls.ca)" : $"{nodePath}.key";
        string certificateFile = TlsLayout.ResolvePath(source, node.CertificateFile ?? tls.DefaultCertificateFile(node.Name));
        string keyFile = TlsLayout.ResolvePath(source, node.KeyFile ?? tls.DefaultKeyFile(node.Name));
        RequireFile(source, certificateField, certificateFile);
        RequireFile(source, keyField, keyFile);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new LayoutException(source, $"{certificateField}, {keyField}",
                $"cannot load {certificateFile} with key {keyFile}: {e.Message}", e);
        }

        var options = new PeerTlsOptions(certificate, authority);
        if (options.Verify(certificate, out var identity) is { } problem)
            throw new LayoutException(source, certificateField, $"{certificateFile}: {problem} (the CA is {caFile})");
        if (!identity!.Holds(node.Name))
            throw new LayoutException(source, certificateField,
                $"{certificateFile} is for {identity}, not for this node '{node.Name}' (its DNS subject alternative names must include the node name)");
        return new NodeSecurity(options, tls.WebSocketClientCertificates);
    }

    private static void RequireFile(string source, string field, string path)
    {
        if (!File.Exists(path)) throw new LayoutException(source, field, $"file not found: {path}");
    }

    private static int IndexOf(ClusterLayout layout, NodeSpec node)
    {
        for (int i = 0; i < layout.Nodes.Count; i++)
            if (layout.Nodes[i].Name == node.Name) return i;
        return -1;
    }
}
