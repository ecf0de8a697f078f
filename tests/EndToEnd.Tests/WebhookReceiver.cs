using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Spillway.EndToEnd.Tests;

/// <summary>
/// Alertmanager's webhook receiver: a tiny Kestrel app on 127.0.0.1 (a free port) that records every JSON
/// payload POSTed to <c>/alerts</c>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonElement> _payloads = new();

    private WebhookReceiver(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/alerts";
    public IReadOnlyList<JsonElement> Payloads => _payloads.ToArray();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The default console lifetime would take over the test host's SIGINT/SIGTERM; this app has no say in that.
        builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/alerts", async (HttpRequest request) =>
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            receiver!._payloads.Enqueue(document.RootElement.Clone());
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver = new WebhookReceiver(app, new Uri(address).Port);
        return receiver;
    }

    /// <summary>Every alert of every payload so far, with the payload's own status and receiver.</summary>
    public IEnumerable<(JsonElement Payload, JsonElement Alert)> Alerts() =>
        from payload in Payloads
        where payload.TryGetProperty("alerts", out var alerts) && alerts.ValueKind == JsonValueKind.Array
        from alert in payload.GetProperty("alerts").EnumerateArray()
        select (payload, alert);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(timeout.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }

    private sealed class NoSignalsLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
