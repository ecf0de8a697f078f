using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spillway.Engine.Peering;

namespace Spillway.Tests.Shared;

/// <summary>Certificates made in the test: a CA and leaf certificates naming a node in their DNS SAN, valid or not.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 CreateAuthority(string name = "Spillway test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>A certificate for <paramref name="nodeName"/> signed by <paramref name="authority"/>, with its private key.</summary>
    public static X509Certificate2 Issue(X509Certificate2 authority, string nodeName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={nodeName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(nodeName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(authority, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(30), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>TLS options for a node named <paramref name="nodeName"/> in the cluster of <paramref name="authority"/>.</summary>
    public static PeerTlsOptions For(X509Certificate2 authority, string nodeName) => new(Issue(authority, nodeName), authority);
}
