using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Spillway.WebSockets.Tests;

/// <summary>One message as the client saw it: text, binary or the server's close.</summary>
public sealed record Received(WebSocketMessageType Type, string Text, WebSocketCloseStatus? CloseStatus, string? CloseDescription);

/// <summary>A real <see cref="ClientWebSocket"/> speaking Broker's JSON API v1.</summary>
public sealed class TestClient : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private TestClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <param name="application">Sent as <c>X-Application-Name</c> when not null.</param>
    public static async Task<TestClient> ConnectAsync(Uri uri, string? application = null)
    {
        var socket = new ClientWebSocket();
        if (application is not null) socket.Options.SetRequestHeader("X-Application-Name", application);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new TestClient(socket);
    }

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] bytes, WebSocketMessageType type, bool endOfMessage = true)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await Socket.SendAsync(bytes, type, endOfMessage, timeout.Token);
    }

    /// <summary>Reads one whole message (or the close); a timeout aborts the socket and throws.</summary>
    public async Task<Received> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                return new Received(WebSocketMessageType.Close, "", result.CloseStatus, result.CloseStatusDescription);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return new Received(result.MessageType, Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length), null, null);
        }
    }

    public async Task<string> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        var received = await ReceiveAsync(timeout);
        Assert.True(received.Type == WebSocketMessageType.Text,
            $"expected a text message, got {received.Type} {received.CloseStatus} {received.CloseDescription}");
        return received.Text;
    }

    public async Task<JsonElement> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        var text = await ReceiveTextAsync(timeout);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Sends the subscription list and returns the ack.</summary>
    public async Task<JsonElement> SubscribeAsync(params string[] topics)
    {
        await SendTextAsync(JsonSerializer.Serialize(topics));
        var ack = await ReceiveJsonAsync();
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        return ack;
    }

    /// <summary>Receives the next message, asserts it is a deserialization_failed error, and returns its context.</summary>
    public async Task<string> ReceiveErrorContextAsync()
    {
        var error = await ReceiveJsonAsync();
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("deserialization_failed", error.GetProperty("code").GetString());
        return error.GetProperty("context").GetString()!;
    }

    public static string DataMessage(string topic, string dataType, string dataJson) =>
        $"{{\"type\":\"data-message\",\"topic\":{JsonSerializer.Serialize(topic)},\"@data-type\":\"{dataType}\",\"data\":{dataJson}}}";

    public void Dispose()
    {
        Socket.Abort();
        Socket.Dispose();
    }
}
