using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Spillway.Engine.Logging;
using Spillway.Engine.Peering;

namespace Spillway.WebSockets;

/// <summary>Accepts WebSocket upgrades on the mapped path and runs one <see cref="WebSocketConnection"/> per client.</summary>
internal sealed class WebSocketGateway(SpillwayEndpoint endpoint, WebSocketGatewayOptions options, ILogger logger)
{
    // Anyone can connect: warnings a client can trigger at will are rate-limited across all connections.
    private readonly RateLimitedLog _strangerWarnings = new(logger, endpoint.TimeProvider);

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(
                "this endpoint speaks the Broker WebSocket JSON API v1 and expects a WebSocket upgrade\n",
                context.RequestAborted).ConfigureAwait(false);
            return;
        }

        using var slot = await new WebSocketAdmission(endpoint, _strangerWarnings).AdmitAsync(context).ConfigureAwait(false);
        if (slot is null) return;
        var remote = FormatAddress(context.Connection.RemoteIpAddress, context.Connection.RemotePort);
        var (socket, batching) = await WebSocketUpgrade.AcceptAsync(context).ConfigureAwait(false);
        using var _ = socket;
        var connection = new WebSocketConnection(socket, endpoint, options, logger, _strangerWarnings, remote, context.RequestAborted)
        {
            Batching = batching,
            ApplicationHeader = context.Request.Headers[ApplicationName.Header].ToString(),
        };
        await connection.RunAsync().ConfigureAwait(false);
    }

    /// <summary>Renders the client's address the way an operator writes it: IPv4-mapped IPv6 shown as plain IPv4.</summary>
    internal static string FormatAddress(IPAddress? address, int port)
    {
        if (address is null) return "unknown address";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return new IPEndPoint(address, port).ToString();
    }
}
