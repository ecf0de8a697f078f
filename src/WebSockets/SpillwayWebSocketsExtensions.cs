using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spillway.Engine.Peering;

namespace Spillway.WebSockets;

/// <summary>Maps Broker's WebSocket JSON API v1 onto an ASP.NET Core application.</summary>
public static class SpillwayWebSocketsExtensions
{
    /// <summary>
    /// Serves <c>ws://HOST:PORT/v1/messages/json</c> (or <see cref="WebSocketGatewayOptions.Path"/>) for
    /// <paramref name="endpoint"/>: every connection becomes one client session of the endpoint.
    /// Non-WebSocket requests to the path get 400.
    /// </summary>
    /// <remarks>
    /// The mapped endpoint runs its own branch with the WebSocket middleware, so calling
    /// <c>app.UseWebSockets()</c> is not required; when the application does call it (e.g. to set
    /// <c>WebSocketOptions.KeepAliveInterval</c> or allowed origins), that middleware is used and the
    /// branch's one stays inactive. <c>WebSocketOptions</c> configured in DI apply either way.
    /// Options are validated here, at start-up.
    /// </remarks>
    public static IEndpointConventionBuilder MapSpillwayWebSockets(
        this IEndpointRouteBuilder app, SpillwayEndpoint endpoint, WebSocketGatewayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new WebSocketGatewayOptions();
        options.Validate();
        var loggerFactory = app.ServiceProvider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var gateway = new WebSocketGateway(endpoint, options, loggerFactory.CreateLogger("Spillway.WebSockets"));
        var pipeline = app.CreateApplicationBuilder()
            .UseWebSockets()
            .Use(_ => gateway.HandleAsync)
            .Build();
        return app.Map(options.Path, pipeline).WithDisplayName("Spillway WebSocket JSON API v1");
    }
}
