using Spillway.Engine;
using System.CommandLine;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Spillway.Node.Security;
using Spillway.WebSockets;

namespace Spillway.Node.Commands;

/// <summary>
/// <c>spillway watch [TOPIC…] --url ws://…</c>: subscribes over a node's WebSocket API (Broker JSON v1) and
/// prints one line per message: <c>topic  @data-type  data</c>. The one-liner for watching a topic from a shell.
/// </summary>
internal static class WatchCommand
{
    public const string DefaultUrl = "wss://127.0.0.1:9301" + SpillwayRoutes.WebSocketJson;

    /// <summary>What watch calls itself in <c>X-Application-Name</c>, so the node's WebSocket series show it as <c>app="spillway-watch"</c>.</summary>
    public const string DefaultApplication = "spillway-watch";

    public static Command Create()
    {
        var topics = new Argument<string[]>("topic") { Description = "Topic prefixes to watch (none: every topic)", Arity = ArgumentArity.ZeroOrMore };
        var url = new Option<string>("--url") { Description = $"The node's WebSocket endpoint (default {DefaultUrl}, the demo manager)" };
        var count = CommonOptions.WholeNumber("--count", "Stop after this many messages (exit 0); without it, watch until Ctrl-C",
            1, int.MaxValue, "a whole number of messages");
        var ca = new Option<string?>("--ca") { Description = "wss: the cluster CA certificate (PEM) to verify the node with, instead of the system store" };
        var cert = new Option<string?>("--cert") { Description = "wss: client certificate (PEM), for nodes that require one" };
        var key = new Option<string?>("--key") { Description = "wss: the client certificate's private key (PEM)" };
        var app = new Option<string>("--app")
        {
            Description = $"The application name sent as {ApplicationName.Header} (default {DefaultApplication}): the node's app label for this client",
        };
        var command = new Command("watch", "Print the messages of a topic as they arrive, through a node's WebSocket API") { topics, url, count, ca, cert, key, app };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(topics) ?? [], parse.GetValue(url) ?? DefaultUrl, parse.GetValue(count),
            (parse.GetValue(ca), parse.GetValue(cert), parse.GetValue(key)), parse.GetValue(app) ?? DefaultApplication, ct));
        return command;
    }

    private static async Task<int> RunAsync(string[] topics, string url, int? count, (string? Ca, string? Cert, string? Key) tls,
        string application, CancellationToken cancellationToken)
    {
        // The node would refuse it after the upgrade; saying so here names the option.
        string? appProblem = null;
        if (application.Length == 0 || ApplicationName.Read(application, out appProblem) is null)
        {
            Console.Error.WriteLine($"spillway watch: --app: {appProblem ?? "must not be empty"}");
            return ExitCodes.BadConfiguration;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
        {
            Console.Error.WriteLine($"spillway watch: --url must be a ws:// or wss:// URL, got '{url}'");
            return ExitCodes.BadConfiguration;
        }
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader(ApplicationName.Header, application);
        if (WatchTls.Configure(socket.Options, tls.Ca, tls.Cert, tls.Key) is { } tlsProblem)
        {
            Console.Error.WriteLine($"spillway watch: {tlsProblem}");
            return ExitCodes.BadConfiguration;
        }
        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
            var subscriptions = JsonSerializer.SerializeToUtf8Bytes(topics.Length == 0 ? [""] : topics);
            await socket.SendAsync(subscriptions, WebSocketMessageType.Text, true, cancellationToken);
            var buffer = new MemoryStream();
            var seen = 0;
            while (count is null || seen < count)
            {
                var text = await ReceiveTextAsync(socket, buffer, cancellationToken);
                if (text is null)
                {
                    Console.Error.WriteLine($"spillway watch: the node closed the connection ({socket.CloseStatusDescription ?? "no reason given"})");
                    return ExitCodes.Failed;
                }
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                switch (root.GetProperty("type").GetString())
                {
                    case "ack":
                        Console.Error.WriteLine($"spillway watch: subscribed to [{string.Join(", ", topics)}] at endpoint {root.GetProperty("endpoint").GetString()}; Ctrl-C stops");
                        break;
                    case "data-message":
                        Console.WriteLine($"{root.GetProperty("topic").GetString()}  {root.GetProperty("@data-type").GetString()}  {root.GetProperty("data").GetRawText()}");
                        seen++;
                        break;
                    default:
                        Console.Error.WriteLine($"spillway watch: {text}");
                        break;
                }
            }
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
        }
        catch (WebSocketException e)
        {
            Console.Error.WriteLine($"spillway watch: cannot talk to {url}: {e.Message}. Is the node running with a websocket_port (the demo's manager has one)? For wss:// give the cluster CA with --ca (the demo prints its path).");
            return ExitCodes.Failed;
        }
    }

    private static async Task<string?> ReceiveTextAsync(ClientWebSocket socket, MemoryStream buffer, CancellationToken token)
    {
        buffer.SetLength(0);
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage) return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }
}
