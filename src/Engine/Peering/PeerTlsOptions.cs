using System.Security.Cryptography.X509Certificates;

namespace Spillway.Engine.Peering;

/// <summary>
/// Mutual TLS for every peering of an endpoint: this node's certificate (with its private key) and the
/// cluster's certificate authority, the only trust anchor a remote certificate is checked against
/// (the system store is never consulted). Both directions present and verify a certificate.
/// </summary>
public sealed class PeerTlsOptions
{
    /// <summary>This node's certificate (with its private key) and the cluster CA that verifies every remote.</summary>
    public PeerTlsOptions(X509Certificate2 certificate, X509Certificate2 certificateAuthority)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(certificateAuthority);
        if (!certificate.HasPrivateKey)
            throw new ArgumentException("the node certificate has no private key", nameof(certificate));
        Certificate = certificate;
        CertificateAuthority = certificateAuthority;
    }

    /// <summary>This node's certificate, presented to every peer; must carry its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The cluster's CA: a remote certificate must chain to exactly this root.</summary>
    public X509Certificate2 CertificateAuthority { get; }

    /// <summary>
    /// The check every peering applies to the remote's certificate, for other TLS listeners (WebSocket, metrics) and for
    /// checking a node's own certificate at start: null if it chains to the cluster CA and is valid now, else why not.
    /// </summary>
    public string? Verify(X509Certificate2? certificate, out PeerIdentity? identity) =>
        PeerTlsHandshake.Check(this, certificate, PeeringDirection.Accepted, out identity);
}
