using Spillway.Telemetry.Layout;

namespace Spillway.Node.Security;

/// <summary>
/// The demo's throwaway CA and node certificates, made at every start in its temp folder (under <c>certs/</c>), so the demo
/// cluster runs over TLS like a real one without any setup. They live as long as the folder.
/// </summary>
internal static class DemoCertificates
{
    private const string Folder = "certs";
    private static readonly TimeSpan Validity = TimeSpan.FromDays(7);

    public static string AuthorityPath(string workDir) => Path.Combine(workDir, Folder, ClusterCertificates.AuthorityCertificateFile);

    /// <summary>Writes the certificates and returns <paramref name="layout"/> with a <c>tls</c> section pointing at them (relative to the work folder).</summary>
    public static ClusterLayout Create(ClusterLayout layout, string workDir)
    {
        ClusterCertificates.WriteCluster(layout, Path.Combine(workDir, Folder), Validity, CertificateKeyType.EcdsaP256);
        return layout.WithTls(TlsLayout.WithAuthority(Path.Combine(Folder, ClusterCertificates.AuthorityCertificateFile)));
    }
}
