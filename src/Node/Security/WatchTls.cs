using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spillway.Node.Security;

/// <summary>
/// TLS for <c>spillway watch</c> on a wss:// URL: <c>--ca</c> makes the cluster CA the only trust anchor for the node's
/// certificate (as peers do); <c>--cert</c>/<c>--key</c> present a client certificate to a node that requires one.
/// </summary>
internal static class WatchTls
{
    /// <summary>Applies the options; returns the problem (naming the option) or null.</summary>
    public static string? Configure(ClientWebSocketOptions options, string? caFile, string? certificateFile, string? keyFile)
    {
        X509Certificate2? authority = null;
        if (caFile is not null)
        {
            if (!File.Exists(caFile)) return $"--ca: file not found: {caFile}";
            try { authority = X509Certificate2.CreateFromPem(File.ReadAllText(caFile)); }
            catch (CryptographicException e) { return $"--ca: {caFile} is not a PEM certificate: {e.Message}"; }
        }
        if ((certificateFile is null) != (keyFile is null)) return "--cert and --key go together";
        if (certificateFile is not null)
        {
            if (!File.Exists(certificateFile)) return $"--cert: file not found: {certificateFile}";
            if (!File.Exists(keyFile)) return $"--key: file not found: {keyFile}";
            try { options.ClientCertificates.Add(X509Certificate2.CreateFromPemFile(certificateFile, keyFile)); }
            catch (CryptographicException e) { return $"--cert, --key: cannot load {certificateFile} with {keyFile}: {e.Message}"; }
        }
        if (authority is not null)
        {
            options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is X509Certificate2 server && Check(authority, server);
        }
        return null;
    }

    private static bool Check(X509Certificate2 authority, X509Certificate2 server)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(server) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span);
    }
}
