using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spillway.Engine.Peering;

namespace Spillway.Bench;

/// <summary>A throwaway CA and two node certificates (ECDSA P-256, as <c>spillway certs</c> makes by default) for the TLS throughput run.</summary>
internal static class BenchCertificates
{
    public static (PeerTlsOptions Publisher, PeerTlsOptions Receiver) Create()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=bench CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (new PeerTlsOptions(Issue(ca, "publisher"), ca), new PeerTlsOptions(Issue(ca, "receiver"), ca));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-30), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }
}
