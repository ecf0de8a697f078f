using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spillway.Telemetry.Export;

namespace Spillway.Node.Tests.Top;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a free port: <c>/peers</c> serves <see cref="Report"/>, <c>/garbage</c> plain
/// text, <c>/bad-shape</c> JSON of the wrong shape, <c>/missing</c> a 404 and <c>/slow</c> answers after five seconds.
/// </summary>
internal sealed class PeersTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PeersTestServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public PeersReport Report { get; set; } = TopTestData.Report("manager", TopTestData.Peer("worker-1", queued: 350, overflows: 7));

    public Uri Url(string path) => new(BaseUri, path);

    public static async Task<PeersTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        PeersTestServer? server = null;
        app.MapGet("/peers", () => Results.Bytes(PeersReportJson.Serialize(server!.Report), PeersReportJson.ContentType));
        app.MapGet("/garbage", () => Results.Text("this is not json {", "text/plain"));
        app.MapGet("/bad-shape", () => Results.Text("""{"node":"manager"}""", "application/json"));
        app.MapGet("/missing", () => Results.NotFound());
        app.MapGet("/slow", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            return Results.Text("{}");
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server = new PeersTestServer(app, new Uri(address));
        return server;
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
