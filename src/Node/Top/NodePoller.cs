using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Spillway.Telemetry.Export;

namespace Spillway.Node.Top;

/// <summary>
/// Fetches every target's <c>/peers</c> document concurrently. A node that does not answer within <see cref="Timeout"/>,
/// answers with a non-success status, sends more than <see cref="MaxResponseBytes"/> or sends a document
/// <see cref="PeersReportJson.Parse"/> rejects is reported as down with a short error text; no node is ever left out.
/// </summary>
public sealed class NodePoller : IDisposable
{
    /// <summary>Per-request time limit unless the constructor is given another.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMilliseconds(800);

    /// <summary>Largest <c>/peers</c> document accepted.</summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;

    private const int MaxErrorLength = 120;

    private readonly NodeTarget[] _targets;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;

    /// <param name="targets">The nodes to poll, in display order.</param>
    /// <param name="httpClient">The client to use (not disposed by the poller); null = a private one.</param>
    /// <param name="timeout">Per-request limit (connect, headers and body); null = <see cref="DefaultTimeout"/>.</param>
    /// <param name="timeProvider">Clock for <see cref="NodeStatus.At"/> and the timeout; null = the system clock.</param>
    public NodePoller(
        IReadOnlyList<NodeTarget> targets,
        HttpClient? httpClient = null,
        TimeSpan? timeout = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        _targets = targets.ToArray();
        for (int i = 0; i < _targets.Length; i++)
        {
            if (_targets[i] is null) throw new ArgumentException($"targets[{i}] is null", nameof(targets));
            if (!_targets[i].PeersUrl.IsAbsoluteUri)
                throw new ArgumentException($"targets[{i}] ({_targets[i].Name}): the /peers URL must be absolute", nameof(targets));
        }
        Timeout = timeout ?? DefaultTimeout;
        if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "must be positive");
        _time = timeProvider ?? TimeProvider.System;
        if (httpClient is null)
        {
            // The per-request token below enforces Timeout; the client-wide one is only a backstop.
            _http = new HttpClient { Timeout = Timeout + TimeSpan.FromSeconds(1) };
            _ownsHttp = true;
        }
        else
        {
            _http = httpClient;
        }
    }

    /// <summary>The targets, in the order <see cref="PollAsync"/> reports them.</summary>
    public IReadOnlyList<NodeTarget> Targets => _targets;

    /// <summary>Per-request time limit.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Polls every target once, concurrently, and returns one status per target in target order. Never throws for a
    /// node's failure; throws <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<IReadOnlyList<NodeStatus>> PollAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var tasks = new Task<NodeStatus>[_targets.Length];
        for (int i = 0; i < _targets.Length; i++) tasks[i] = PollOneAsync(_targets[i], cancellationToken);
        var results = await Task.WhenAll(tasks).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return results;
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private async Task<NodeStatus> PollOneAsync(NodeTarget target, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target.PeersUrl);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                string reason = string.IsNullOrWhiteSpace(response.ReasonPhrase) ? "" : " " + response.ReasonPhrase;
                return Down(target, $"HTTP {(int)response.StatusCode}{reason}");
            }
            byte[]? body = await ReadLimitedAsync(response.Content, linked.Token).ConfigureAwait(false);
            if (body is null) return Down(target, $"response larger than {MaxResponseBytes / (1024 * 1024)} MiB");
            PeersReport report;
            try
            {
                report = PeersReportJson.Parse(body);
            }
            catch (JsonException e)
            {
                return Down(target, "invalid /peers JSON: " + TrimJsonMessage(e.Message));
            }
            return NodeStatus.Up(target.Name, report, _time.GetLocalNow());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return Down(target, $"no answer within {FormatTimeout(Timeout)}");
        }
        catch (HttpRequestException e)
        {
            return Down(target, Describe(e));
        }
        catch (Exception e)
        {
            return Down(target, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private NodeStatus Down(NodeTarget target, string error) =>
        NodeStatus.Down(target.Name, Shorten(error), _time.GetLocalNow());

    /// <summary>The body, or null if it exceeds <see cref="MaxResponseBytes"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes) return null;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData => "host not found",
                    SocketError.TimedOut => "connect timed out",
                    SocketError.HostUnreachable => "host unreachable",
                    SocketError.NetworkUnreachable => "network unreachable",
                    SocketError.ConnectionReset => "connection reset",
                    _ => socket.Message,
                };
            }
        }
        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "host not found",
            HttpRequestError.ConnectionError => "connection failed",
            HttpRequestError.ResponseEnded => "connection closed before the response ended",
            HttpRequestError.InvalidResponse => "invalid HTTP response",
            _ => e.InnerException?.Message ?? e.Message,
        };
    }

    /// <summary>Drops System.Text.Json's " Path: ... | LineNumber: ..." tail, keeping the path when there is one.</summary>
    private static string TrimJsonMessage(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        return message.TrimEnd(' ', '|', '.') ;
    }

    private static string FormatTimeout(TimeSpan timeout) =>
        timeout < TimeSpan.FromSeconds(10)
            ? ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms"
            : timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= MaxErrorLength ? text : text[..(MaxErrorLength - 3)] + "...";
    }
}
