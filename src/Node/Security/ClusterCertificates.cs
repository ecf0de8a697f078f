using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Security;

/// <summary>
/// Makes a cluster's certificate authority and one certificate per node with <see cref="CertificateRequest"/> (no openssl):
/// the node's name as DNS subject alternative name (its identity, docs/security.md), its host as an IP or DNS name so that
/// HTTPS clients such as Prometheus can check the host they dial, and both server and client authentication usages.
/// </summary>
public static class ClusterCertificates
{
    public const string DefaultKeyTypeName = "ecdsa-p256";
    public static readonly string[] KeyTypeNames = ["ecdsa-p256", "rsa-2048", "rsa-3072"];

    public static bool TryParseKeyType(string text, out CertificateKeyType keyType)
    {
        var index = Array.IndexOf(KeyTypeNames, text);
        keyType = index < 0 ? default : (CertificateKeyType)index;
        return index >= 0;
    }

    /// <summary>A self-signed CA certificate (with its private key) valid from an hour ago for <paramref name="validity"/>.</summary>
    public static X509Certificate2 CreateAuthority(string clusterName, TimeSpan validity, CertificateKeyType keyType)
    {
        using var key = CreateKey(keyType);
        var request = CreateRequest($"CN={clusterName} CA", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddHours(-1), now.Add(validity));
    }

    /// <summary>A certificate for <paramref name="node"/> signed by <paramref name="authority"/>, with its private key.</summary>
    public static X509Certificate2 IssueNode(X509Certificate2 authority, NodeSpec node, TimeSpan validity, CertificateKeyType keyType)
    {
        using var key = CreateKey(keyType);
        var request = CreateRequest($"CN={node.Name}", key);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(node.Name);
        if (IPAddress.TryParse(node.Host, out var ip)) san.AddIpAddress(ip);
        else if (!string.Equals(node.Host, node.Name, StringComparison.Ordinal)) san.AddDnsName(node.Host);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | (keyType == CertificateKeyType.EcdsaP256 ? 0 : X509KeyUsageFlags.KeyEncipherment), true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "serverAuth"), new Oid("1.3.6.1.5.5.7.3.2", "clientAuth")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var now = DateTimeOffset.UtcNow;
        var notAfter = now.Add(validity) < authority.NotAfter ? now.Add(validity) : new DateTimeOffset(authority.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // a positive serial number
        using var issued = request.Create(authority, now.AddHours(-1), notAfter, serial);
        return key switch
        {
            ECDsa ec => issued.CopyWithPrivateKey(ec),
            RSA rsa => issued.CopyWithPrivateKey(rsa),
            _ => throw new InvalidOperationException("unexpected key type"),
        };
    }

    /// <summary>Writes <paramref name="certificate"/> to <paramref name="certificatePath"/> and its key to <paramref name="keyPath"/> (PEM; key readable by the owner only).</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException($"{certificate.Subject} has no private key");
        using (key)
        {
            File.Delete(keyPath); // so a new key file gets the owner-only mode
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new StreamWriter(keyPath, System.Text.Encoding.ASCII, options);
            file.Write(key.ExportPkcs8PrivateKeyPem() + "\n");
        }
    }

    public const string AuthorityCertificateFile = "ca.crt";
    public const string AuthorityKeyFile = "ca.key";

    /// <summary>
    /// Writes a new CA (<c>ca.crt</c>, <c>ca.key</c>) and <c>&lt;name&gt;.crt</c>/<c>&lt;name&gt;.key</c> for every node of
    /// <paramref name="layout"/> into <paramref name="directory"/>; returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> WriteCluster(ClusterLayout layout, string directory, TimeSpan validity, CertificateKeyType keyType)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        using var authority = CreateAuthority("Spillway cluster", validity, keyType);
        Write(authority, Path.Combine(directory, AuthorityCertificateFile), Path.Combine(directory, AuthorityKeyFile), written);
        foreach (var node in layout.Nodes)
        {
            using var certificate = IssueNode(authority, node, validity, keyType);
            Write(certificate, Path.Combine(directory, node.Name + ".crt"), Path.Combine(directory, node.Name + ".key"), written);
        }
        return written;
    }

    private static void Write(X509Certificate2 certificate, string certificatePath, string keyPath, List<string> written)
    {
        WritePem(certificate, certificatePath, keyPath);
        written.Add(certificatePath);
        written.Add(keyPath);
    }

    private static AsymmetricAlgorithm CreateKey(CertificateKeyType keyType) => keyType switch
    {
        CertificateKeyType.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        CertificateKeyType.Rsa2048 => RSA.Create(2048),
        CertificateKeyType.Rsa3072 => RSA.Create(3072),
        _ => throw new ArgumentOutOfRangeException(nameof(keyType)),
    };

    private static CertificateRequest CreateRequest(string subject, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };
}
