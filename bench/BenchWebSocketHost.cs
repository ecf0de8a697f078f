using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spillway.Engine.Peering;
using Spillway.WebSockets;

namespace Spillway.Bench;

/// <summary>An endpoint's WebSocket JSON API served by Kestrel on a free 127.0.0.1 port, without logging, for the in-process benches.</summary>
internal static class BenchWebSocketHost
{
    /// <summary>Starts the app; the caller disposes it. Returns the <c>ws://</c> address of the API.</summary>
    public static async Task<(WebApplication App, Uri WebSocketUri)> StartAsync(SpillwayEndpoint endpoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapSpillwayWebSockets(endpoint);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address.Replace("http://", "ws://") + WebSocketGatewayOptions.DefaultPath));
    }
}
