using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spillway.Engine.Peering;

namespace Spillway.Bench;

/// <summary>A throwaway CA and two node certificates (ECDSA P-256, as <c>spillway certs</c> makes by default) for the TLS runs.</summary>
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

    /// <summary>
    /// Writes <paramref name="options"/> as two files beside <paramref name="pathPrefix"/> (<c>.pfx</c> with the key,
    /// <c>.ca.cer</c>), so a second process can load the same identity with <see cref="Load"/>.
    /// </summary>
    public static void Save(PeerTlsOptions options, string pathPrefix)
    {
        File.WriteAllBytes(pathPrefix + ".pfx", options.Certificate.Export(X509ContentType.Pfx));
        File.WriteAllBytes(pathPrefix + ".ca.cer", options.CertificateAuthority.Export(X509ContentType.Cert));
    }

    public static PeerTlsOptions Load(string pathPrefix) => new(
        X509CertificateLoader.LoadPkcs12FromFile(pathPrefix + ".pfx", password: null),
        X509CertificateLoader.LoadCertificateFromFile(pathPrefix + ".ca.cer"));

    /// <summary>Removes what <see cref="Save"/> wrote.</summary>
    public static void Delete(string pathPrefix)
    {
        File.Delete(pathPrefix + ".pfx");
        File.Delete(pathPrefix + ".ca.cer");
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
