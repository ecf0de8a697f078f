using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Spillway.Node.Hosting;

/// <summary>Applies a <see cref="WebConfig"/>'s <c>tls_server_config</c> to the metrics listener, with exporter-toolkit's client auth types.</summary>
internal static class WebConfigKestrel
{
    public static void Apply(ListenOptions listen, WebConfig? config)
    {
        if (config?.Certificate is not { } certificate) return;
        listen.UseHttps(https =>
        {
            https.ServerCertificate = certificate;
            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            var verify = config.ClientAuthType is WebConfigLoader.VerifyClientCertIfGiven or WebConfigLoader.RequireAndVerifyClientCert;
            https.ClientCertificateMode = config.ClientAuthType switch
            {
                WebConfigLoader.RequestClientCert or WebConfigLoader.VerifyClientCertIfGiven => ClientCertificateMode.AllowCertificate,
                WebConfigLoader.RequireAnyClientCert or WebConfigLoader.RequireAndVerifyClientCert => ClientCertificateMode.RequireCertificate,
                _ => ClientCertificateMode.NoCertificate,
            };
            https.ClientCertificateValidation = (client, _, _) => !verify || ChainsTo(client, config.ClientAuthority!);
        });
    }

    private static bool ChainsTo(X509Certificate2 client, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(client) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span);
    }
}
