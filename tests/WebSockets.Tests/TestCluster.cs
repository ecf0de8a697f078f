using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;

namespace Spillway.WebSockets.Tests;

/// <summary>
/// A node endpoint served over WebSockets by a real Kestrel on 127.0.0.1 (any free port), and a second
/// endpoint peered with it over loopback TCP.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly List<TestClient> _clients = new();

    private TestCluster(SpillwayEndpoint node, SpillwayEndpoint peer, WebApplication app, Uri httpBase, RecordingLoggerProvider logs)
    {
        Node = node;
        Peer = peer;
        App = app;
        HttpBase = httpBase;
        Logs = logs;
        WebSocketUri = new Uri($"ws://{httpBase.Authority}{WebSocketGatewayOptions.DefaultPath}");
    }

    public SpillwayEndpoint Node { get; }
    public SpillwayEndpoint Peer { get; }
    public WebApplication App { get; }
    public Uri HttpBase { get; }
    public Uri WebSocketUri { get; }
    public RecordingLoggerProvider Logs { get; }

    /// <param name="http2Only">Kestrel speaks only HTTP/2 (cleartext, prior knowledge), so WebSockets arrive as extended CONNECT.</param>
    public static async Task<TestCluster> StartAsync(EndpointOptions? nodeOptions = null, WebSocketGatewayOptions? gatewayOptions = null,
        bool http2Only = false)
    {
        var logs = new RecordingLoggerProvider();
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var node = new SpillwayEndpoint(nodeOptions, loggerFactory);
        var peer = new SpillwayEndpoint();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (http2Only) builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        app.MapSpillwayWebSockets(node, gatewayOptions);
        await app.StartAsync();
        var httpBase = new Uri(app.Urls.Single());

        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.PeerAdded += (_, _) => added.TrySetResult();
        peer.Peer("127.0.0.1", node.Listen(IPAddress.Loopback, 0));
        await added.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return new TestCluster(node, peer, app, httpBase, logs);
    }

    /// <summary>Opens a WebSocket client to the node (not yet subscribed); disposed with the cluster.</summary>
    public async Task<TestClient> ConnectAsync(string? application = null)
    {
        var client = await TestClient.ConnectAsync(WebSocketUri, application);
        lock (_clients) _clients.Add(client);
        return client;
    }

    /// <summary>
    /// A client subscribed to <paramref name="topics"/> (its ack read), once the peer routes those topics to the node:
    /// what the peer publishes on them from now on reaches the client.
    /// </summary>
    public async Task<TestClient> ConnectSubscribedAsync(params string[] topics)
    {
        var client = await ConnectAsync();
        await client.SubscribeAsync(topics);
        await PeerKnowsNodeSubscriptionsAsync();
        return client;
    }

    /// <summary>The rows of the node's attached clients, copied.</summary>
    public PeeringStats[] ClientRows()
    {
        lock (Node) return Node.GetPeeringStats().Rows.Where(r => r.Kind == SubscriberKind.Client).ToArray();
    }

    /// <summary>
    /// Waits until <paramref name="from"/> routes to every subscription <paramref name="to"/> has made so far:
    /// <paramref name="to"/> subscribes to a fresh topic and <paramref name="from"/> publishes on it until it
    /// arrives. Subscription updates travel in order on the peering, so the earlier ones have arrived too.
    /// </summary>
    public static async Task SyncSubscriptionsAsync(SpillwayEndpoint from, SpillwayEndpoint to)
    {
        var topic = "/sync/" + Guid.NewGuid().ToString("N");
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = to.Subscribe(topic, (_, _) => arrived.TrySetResult());
        await Eventually.HoldsAsync(() =>
        {
            if (arrived.Task.IsCompleted) return true;
            from.Publish(topic, Value.None);
            return false;
        }, () => "subscriptions did not propagate");
    }

    /// <summary>The peer learns the node's subscriptions (e.g. a client's).</summary>
    public Task PeerKnowsNodeSubscriptionsAsync() => SyncSubscriptionsAsync(Peer, Node);

    /// <summary>The node learns the peer's subscriptions.</summary>
    public Task NodeKnowsPeerSubscriptionsAsync() => SyncSubscriptionsAsync(Node, Peer);

    public async ValueTask DisposeAsync()
    {
        TestClient[] clients;
        lock (_clients) clients = _clients.ToArray();
        foreach (var client in clients) client.Dispose();
        await Peer.DisposeAsync();
        await Node.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
