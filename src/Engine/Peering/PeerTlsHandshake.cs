using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Spillway.Engine.Peering;

/// <summary>
/// The transport step between TCP connect/accept and the hello exchange: wraps the connection in a TLS 1.3
/// <see cref="SslStream"/>, both sides presenting their certificate, and verifies the remote's chain against the
/// cluster CA only. Without TLS options it hands back the plain <see cref="NetworkStream"/>.
/// </summary>
internal static class PeerTlsHandshake
{
    /// <summary>The stream to speak frames on, and the verified remote identity (null in plaintext).</summary>
    public static async Task<(Stream Stream, PeerIdentity? Identity)> WrapAsync(
        Socket socket, PeeringDirection direction, string? targetHost, PeerTlsOptions? tls, CancellationToken cancellationToken)
    {
        var network = new NetworkStream(socket, ownsSocket: false);
        if (tls is null) return (network, null);

        string? refusal = null;
        PeerIdentity? identity = null;
        bool Verify(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            refusal = Check(tls, certificate, direction, out identity);
            return refusal is null;
        }

        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        var context = SslStreamCertificateContext.Create(tls.Certificate, additionalCertificates: null, offline: true);
        try
        {
            if (direction == PeeringDirection.Accepted)
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    EnabledSslProtocols = SslProtocols.Tls13,
                    ClientCertificateRequired = true,
                    ServerCertificateContext = context,
                    RemoteCertificateValidationCallback = Verify,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    // The peer is identified by its certificate's node name, checked by the naming layer, not by the
                    // host it was dialed at; the target host only goes out as SNI.
                    TargetHost = targetHost ?? "",
                    EnabledSslProtocols = SslProtocols.Tls13,
                    ClientCertificateContext = context,
                    RemoteCertificateValidationCallback = Verify,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new AuthenticationException(refusal is not null
                ? $"TLS refused: {refusal}"
                : $"TLS handshake failed: {Innermost(e).Message}", e);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        if (identity is null)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new AuthenticationException("TLS refused: the remote presented no certificate");
        }
        return (ssl, identity);
    }

    /// <summary>Null if <paramref name="certificate"/> chains to the cluster CA and is valid now; else the reason, in an operator's words.</summary>
    internal static string? Check(PeerTlsOptions tls, X509Certificate? certificate, PeeringDirection direction, out PeerIdentity? identity)
    {
        identity = null;
        if (certificate is null)
            return direction == PeeringDirection.Accepted ? "the remote presented no client certificate" : "the remote presented no certificate";
        using var owned = certificate is X509Certificate2 ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var remote = owned ?? (X509Certificate2)certificate;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(tls.CertificateAuthority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        var subject = remote.Subject;
        if (!chain.Build(remote))
        {
            var statuses = chain.ChainStatus.Select(s => s.Status).Distinct().ToArray();
            if (statuses.Contains(X509ChainStatusFlags.NotTimeValid))
                return $"certificate '{subject}' is outside its validity period ({remote.NotBefore:u} to {remote.NotAfter:u})";
            if (statuses.Contains(X509ChainStatusFlags.UntrustedRoot) || statuses.Contains(X509ChainStatusFlags.PartialChain))
                return $"certificate '{subject}' (issuer '{remote.Issuer}') is not signed by the cluster CA";
            return $"certificate '{subject}' does not verify: {string.Join(", ", statuses)}";
        }
        // Custom root trust accepts a chain ending at any root in the store; the store holds only the cluster CA.
        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawDataMemory.Span.SequenceEqual(tls.CertificateAuthority.RawDataMemory.Span))
            return $"certificate '{subject}' is not signed by the cluster CA";
        identity = PeerIdentity.FromCertificate(remote);
        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
