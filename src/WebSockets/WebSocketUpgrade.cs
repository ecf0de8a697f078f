using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Spillway.WebSockets;

/// <summary>
/// Accepts a WebSocket request, over a <see cref="BatchedWriteStream"/> when the request is an HTTP/1.1 upgrade.
/// </summary>
/// <remarks>
/// ASP.NET Core's <c>AcceptWebSocketAsync</c> builds the WebSocket over the upgraded stream itself, leaving no way
/// to put the batching stream between them; so for HTTP/1.1 this does the same small handshake (RFC 6455 §4.2.2):
/// 101 with <c>Sec-WebSocket-Accept</c>, no subprotocol, no compression, the keep-alive from
/// <see cref="WebSocketOptions"/>. The WebSocket middleware has already validated the request
/// (<c>IsWebSocketRequest</c>: method, version, key) and checked its origin. Other requests (WebSockets over HTTP/2's
/// extended CONNECT) take the framework's accept and send frame by frame.
/// </remarks>
internal static class WebSocketUpgrade
{
    // RFC 6455 §1.3: the accept token is base64(SHA-1(key + this GUID)).
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static async Task<(WebSocket Socket, BatchedWriteStream? Batching)> AcceptAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true } upgrade)
            return (await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false), null);

        var options = context.RequestServices.GetService<IOptions<WebSocketOptions>>()?.Value ?? new WebSocketOptions();
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = AcceptToken(context.Request.Headers.SecWebSocketKey.ToString());
        // A WebSocket lives for as long as the client stays: a request timeout must not cut it.
        context.Features.Get<IHttpRequestTimeoutFeature>()?.DisableTimeout();
        var stream = new BatchedWriteStream(await upgrade.UpgradeAsync().ConfigureAwait(false));
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveTimeout,
        });
        return (socket, stream);
    }

    private static string AcceptToken(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + AcceptGuid)));
}
