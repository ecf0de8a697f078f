using System.Security.Cryptography.X509Certificates;

namespace Spillway.Node.Hosting;

/// <summary>
/// The metrics listener's protection, read from a Prometheus exporter-toolkit web configuration file (<c>--web-config-file</c>,
/// docs/security.md): HTTPS with a certificate, optionally verified client certificates, and basic-auth users with bcrypt hashes.
/// </summary>
public sealed class WebConfig
{
    /// <summary>Server certificate with its key; null = plain HTTP.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>CA that client certificates must chain to (<c>client_ca_file</c>).</summary>
    public X509Certificate2? ClientAuthority { get; init; }

    /// <summary>exporter-toolkit <c>client_auth_type</c>.</summary>
    public string ClientAuthType { get; init; } = WebConfigLoader.NoClientCert;

    /// <summary>User name to bcrypt hash; empty = no basic auth.</summary>
    public IReadOnlyDictionary<string, string> BasicAuthUsers { get; init; } = new Dictionary<string, string>();

    /// <summary>Where it was read from, for the start-up log line.</summary>
    public string Source { get; init; } = "";
}
