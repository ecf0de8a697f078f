using System.Security.Cryptography.X509Certificates;

namespace Spillway.Engine.Peering;

/// <summary>
/// Who a peer proved to be during the TLS handshake: the DNS names in the subject alternative name of its
/// verified certificate. A node's cluster name is one of them (docs/security.md).
/// </summary>
/// <param name="dnsNames">The DNS names of the certificate's subject alternative name.</param>
/// <param name="subject">The certificate's subject.</param>
public sealed class PeerIdentity(IReadOnlyList<string> dnsNames, string subject)
{
    /// <summary>The DNS names of the certificate's subject alternative name.</summary>
    public IReadOnlyList<string> DnsNames { get; } = dnsNames;

    /// <summary>The certificate's subject, for log lines.</summary>
    public string Subject { get; } = subject;

    /// <summary>True if the certificate names <paramref name="name"/> (exact, ordinal: node names are case-sensitive labels).</summary>
    public bool Holds(string name)
    {
        foreach (var dns in DnsNames)
            if (string.Equals(dns, name, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>The names, for log lines.</summary>
    public override string ToString() => DnsNames.Count == 0 ? $"{Subject} (no DNS names)" : string.Join(", ", DnsNames);

    /// <summary>The DNS names of the subject alternative name extension of <paramref name="certificate"/>.</summary>
    public static PeerIdentity FromCertificate(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
            if (extension is X509SubjectAlternativeNameExtension san)
                names.AddRange(san.EnumerateDnsNames());
        return new PeerIdentity(names, certificate.Subject);
    }
}
