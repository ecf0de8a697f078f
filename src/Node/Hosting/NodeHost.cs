using Spillway.Engine.Peering;
using Spillway.Engine;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spillway.Node.Security;
using Spillway.Telemetry.Export;
using Spillway.Telemetry.Layout;
using Spillway.Telemetry.Naming;
using Spillway.WebSockets;

namespace Spillway.Node.Hosting;

/// <summary>
/// One running node: the engine endpoint listening on its peering port and dialing per the layout's
/// roles, the naming layer, <c>/metrics</c> and <c>/peers</c> on the metrics port, the WebSocket API on
/// its WebSocket port (if the layout gives one) and, for the demo, a synthetic workload.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly List<WebApplication> _apps = new();
    private SyntheticWorkload? _workload;
    private LossLog? _lossLog;
    private bool _up;

    private NodeHost(NodeSpec node, SpillwayEndpoint endpoint, NodeTelemetry telemetry, ILogger logger)
    {
        Node = node;
        Endpoint = endpoint;
        Telemetry = telemetry;
        _logger = logger;
    }

    public NodeSpec Node { get; }
    public SpillwayEndpoint Endpoint { get; }
    public NodeTelemetry Telemetry { get; }

    public static async Task<NodeHost> StartAsync(ClusterLayout layout, NodeSpec node, NodeHostOptions options,
        ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("Spillway.Node");
        var security = options.Security ?? NodeSecurity.Load(layout, node);
        var endpoint = new SpillwayEndpoint(layout.ToEndpointOptions(node) with { Tls = security.PeerTls }, loggerFactory);
        var telemetry = new NodeTelemetry(endpoint, node.Name, layout.Nodes.Select(n => n.Name), loggerFactory.CreateLogger("Spillway.Naming"),
            node.Limits.WebSocketAppLabels);
        var host = new NodeHost(node, endpoint, telemetry, logger);
        try
        {
            var field = $"nodes[{IndexOf(layout, node)}]";
            var address = ListenAddress.Resolve(node.Host, field + ".host");
            Bind(field + ".peering_port", address, node.PeeringPort, () => endpoint.Listen(address, node.PeeringPort));
            host._apps.Add(await BindAsync(field + ".metrics_port", address, node.MetricsPort,
                () => StartMetricsAsync(node, address, options.Exporter, telemetry, options.WebConfig, cancellationToken)));
            if (node.WebSocketPort is { } wsPort)
                host._apps.Add(await BindAsync(field + ".websocket_port", address, wsPort,
                    () => StartWebSocketsAsync(node, address, wsPort, endpoint, security, cancellationToken)));
            foreach (var target in layout.DialTargets(node)) endpoint.Peer(target.Host, target.PeeringPort);
            host._lossLog = LossLog.Start(node.Name, telemetry.BuildReport, logger);
            if (options.Workload) host._workload = SyntheticWorkload.Start(endpoint, node, loggerFactory.CreateLogger("Spillway.Workload"));
            logger.LogInformation(
                "{Node}: up as {Role}, endpoint {Id}; peering port {PeeringPort} ({Transport}), metrics {Scheme}://{Host}:{MetricsPort}/metrics ({Exporter}){WebSocket}",
                node.Name, node.Role.ToName(), endpoint.Id, node.PeeringPort, security.IsPlaintext ? "plaintext" : "mutual TLS",
                options.WebConfig?.Certificate is null ? "http" : "https", node.Host, node.MetricsPort,
                options.Exporter.ToSettingValue(),
                node.WebSocketPort is { } p ? $", WebSocket {(security.IsPlaintext ? "ws" : "wss")}://{node.Host}:{p}{SpillwayRoutes.WebSocketJson}" : "");
            host._up = true;
            // Logged once the node is up, so a start-up that fails says only why it failed.
            if (security.IsPlaintext)
                logger.LogWarning("{Node}: TLS is off (\"tls\": \"off\" in the layout): peerings and the WebSocket API are plaintext and unauthenticated; anyone who reaches the peering port can join and claim a name",
                    node.Name);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private static int IndexOf(ClusterLayout layout, NodeSpec node)
    {
        for (var i = 0; i < layout.Nodes.Count; i++)
            if (ReferenceEquals(layout.Nodes[i], node) || layout.Nodes[i].Name == node.Name) return i;
        return -1;
    }

    private static void Bind(string field, IPAddress address, int port, Action bind)
    {
        try { bind(); }
        catch (Exception e) when (BindProblem(e, address, port) is { } problem) { throw new NodeStartException(field, problem, e); }
    }

    private static async Task<T> BindAsync<T>(string field, IPAddress address, int port, Func<Task<T>> bind)
    {
        try { return await bind(); }
        catch (Exception e) when (BindProblem(e, address, port) is { } problem) { throw new NodeStartException(field, problem, e); }
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }

    /// <summary>The operator's words for a failed bind (Kestrel wraps the socket error in an IOException).</summary>
    private static string? BindProblem(Exception e, IPAddress address, int port)
    {
        var socket = Chain(e).OfType<SocketException>().FirstOrDefault();
        if (socket is null && e is not IOException) return null;
        return socket?.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => $"port {port} on {address} is already in use (another process holds it)",
            SocketError.AccessDenied => $"port {port} on {address}: permission denied (ports below 1024 need privileges)",
            SocketError.AddressNotAvailable => $"cannot listen on {address}:{port}: not an address of this machine",
            _ => $"cannot listen on {address}:{port}: {socket?.Message ?? e.Message}",
        };
    }

    private static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        NodeLogging.Configure(builder.Logging);
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        return builder;
    }

    private static async Task<WebApplication> StartMetricsAsync(NodeSpec node, IPAddress address, MetricsExporterKind exporter,
        NodeTelemetry telemetry, WebConfig? webConfig, CancellationToken cancellationToken)
    {
        var builder = CreateBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, node.MetricsPort, listen => WebConfigKestrel.Apply(listen, webConfig)));
        builder.Services.AddSpillwayMetrics(exporter, telemetry);
        var app = builder.Build();
        if (webConfig is { BasicAuthUsers.Count: > 0 }) app.UseMiddleware<BasicAuthMiddleware>(webConfig.BasicAuthUsers);
        app.MapSpillwayMetrics(exporter);
        app.MapGet(SpillwayRoutes.Peers, () => Results.Bytes(PeersReportJson.Serialize(telemetry.BuildReport()), "application/json"));
        app.MapGet("/", () => Results.Text($"spillway node {node.Name}: see /metrics and /peers\n"));
        await app.StartAsync(cancellationToken);
        return app;
    }

    private static async Task<WebApplication> StartWebSocketsAsync(NodeSpec node, IPAddress address, int port, SpillwayEndpoint endpoint,
        NodeSecurity security, CancellationToken cancellationToken)
    {
        var builder = CreateBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port, listen => WebSocketTls.Apply(listen, security)));
        var app = builder.Build();
        app.UseWebSockets();
        app.MapSpillwayWebSockets(endpoint);
        await app.StartAsync(cancellationToken);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_workload is not null) await _workload.DisposeAsync();
        if (_lossLog is not null) await _lossLog.DisposeAsync();
        foreach (var app in _apps)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try { await app.StopAsync(timeout.Token); } catch (Exception e) { _logger.LogDebug(e, "stopping a web host"); }
            await app.DisposeAsync();
        }
        Telemetry.Dispose();
        await Endpoint.DisposeAsync();
        // A node that never came up has nothing to report stopping; its start-up error says it all.
        if (_up) _logger.LogInformation("{Node}: stopped", Node.Name);
    }
}
