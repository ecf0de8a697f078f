using System.Security.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Spillway.Node.Security;

/// <summary>
/// The WebSocket listener's TLS (wss://): the node's own certificate; with <c>tls.websocket_client_certificates</c> a client must
/// present a certificate that passes the same check as a peer's (cluster CA only). Plaintext (ws://) when TLS is off.
/// </summary>
internal static class WebSocketTls
{
    public static void Apply(ListenOptions listen, NodeSecurity security)
    {
        if (security.PeerTls is not { } tls) return;
        listen.UseHttps(https =>
        {
            https.ServerCertificate = tls.Certificate;
            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            if (!security.WebSocketClientCertificates) return;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) => tls.Verify(certificate, out _) is null;
        });
    }
}
