namespace Spillway.Telemetry.Layout;

/// <summary>
/// The layout's cluster-wide <c>tls</c> section (docs/security.md): either the cluster CA file, under which every peering is
/// mutual TLS, or the explicit plaintext opt-out <c>"tls": "off"</c>. A layout without the section cannot start a node.
/// Paths are kept as written; <see cref="ResolvePath"/> resolves them against the layout file's folder.
/// </summary>
public sealed record TlsLayout
{
    /// <summary>The JSON value of the plaintext opt-out.</summary>
    public const string OffValue = "off";

    /// <summary><c>"tls": "off"</c>: plaintext peerings and WebSocket; every node start logs a warning.</summary>
    public static TlsLayout Off { get; } = new() { Enabled = false };

    /// <summary>TLS with the cluster CA at <paramref name="caFile"/>.</summary>
    public static TlsLayout WithAuthority(string caFile, bool webSocketClientCertificates = false) =>
        new() { Enabled = true, CaFile = caFile, WebSocketClientCertificates = webSocketClientCertificates };

    public bool Enabled { get; init; }

    /// <summary>JSON <c>tls.ca</c>: PEM file of the cluster CA certificate, the only trust anchor for peer certificates.</summary>
    public string? CaFile { get; init; }

    /// <summary>JSON <c>tls.websocket_client_certificates</c>: WebSocket clients must present a certificate from the CA (default false).</summary>
    public bool WebSocketClientCertificates { get; init; }

    /// <summary>Certificate file of a node without its own <c>certificate</c>: <c>&lt;name&gt;.crt</c> beside the CA file (what <c>spillway certs</c> writes).</summary>
    public string DefaultCertificateFile(string nodeName) => Path.Combine(Path.GetDirectoryName(CaFile) ?? "", nodeName + ".crt");

    /// <summary>Key file of a node without its own <c>key</c>: <c>&lt;name&gt;.key</c> beside the CA file.</summary>
    public string DefaultKeyFile(string nodeName) => Path.Combine(Path.GetDirectoryName(CaFile) ?? "", nodeName + ".key");

    /// <summary>
    /// <paramref name="path"/> as the node opens it: absolute paths as they are, relative ones against the folder of the
    /// layout file <paramref name="layoutSource"/> (the working directory for a layout built in code).
    /// </summary>
    public static string ResolvePath(string layoutSource, string path)
    {
        if (Path.IsPathRooted(path)) return path;
        var folder = layoutSource == ClusterLayout.DefaultSource || layoutSource.StartsWith('<') ? "" : Path.GetDirectoryName(layoutSource) ?? "";
        return Path.GetFullPath(Path.Combine(folder, path));
    }
}
