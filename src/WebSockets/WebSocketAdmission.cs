using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Spillway.Engine.Logging;
using Spillway.Engine.Peering;

namespace Spillway.WebSockets;

/// <summary>
/// Admits a WebSocket upgrade against the node's WebSocket connection budget (<see cref="EndpointOptions.WebSocketMaxConnections"/>
/// and <see cref="EndpointOptions.WebSocketMaxConnectionsPerAddress"/>) before the upgrade is accepted, so a refused client
/// costs one small HTTP answer: 503 when the node is full, 429 when its address is. Refusals are counted under the
/// same fixed reasons as refused peering connections and logged rate-limited.
/// </summary>
internal sealed class WebSocketAdmission(SpillwayEndpoint endpoint, RateLimitedLog warnings)
{
    /// <summary>The slot of an admitted client; disposing it (when the connection ends) gives the slot back.</summary>
    public sealed class Slot(ConnectionBudget budget, IPAddress address) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) budget.Release(address);
        }
    }

    /// <summary>A slot for the request's client, or null once the refusal has been answered.</summary>
    public async Task<Slot?> AdmitAsync(HttpContext context)
    {
        var budget = endpoint.ClientConnections;
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (budget.TryAcquire(address, out var refusal)) return new Slot(budget, address);

        endpoint.CountRefusal(refusal);
        var reason = budget.Describe(refusal);
        var remote = WebSocketGateway.FormatAddress(context.Connection.RemoteIpAddress, context.Connection.RemotePort);
        warnings.Warn("websocket " + refusal.ToLabel(), "Refused WebSocket client from {Remote}: {Reason}", remote, reason);
        context.Response.StatusCode = refusal == RefusalReason.NodeConnections
            ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = "1";
        context.Response.ContentType = "text/plain; charset=utf-8";
        var body = Encoding.UTF8.GetBytes($"WebSocket connection refused ({refusal.ToLabel()}): {reason}\n");
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        return null;
    }
}
