using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Spillway.Engine.Data;
using Spillway.WebSockets.Json;
using Spillway.Engine.Logging;
using Spillway.Engine.Peering;

namespace Spillway.WebSockets;

/// <summary>
/// One WebSocket client of Broker's JSON API v1 (docs/design.md §6).
/// </summary>
/// <remarks>
/// <para>Handshake: the first text message must be a JSON array of topic prefixes. Anything else gets a
/// <c>deserialization_failed</c> error and the server keeps waiting for a valid subscription list (the
/// connection stays usable, as for every other malformed message). Then the client is attached to the
/// endpoint and gets one ack.</para>
/// <para>Two loops then run: the receive loop (this task) parses data messages and publishes them; the
/// send loop drains the session's own buffer and writes data messages. WebSocket allows one outstanding
/// send, so every send (ack, error replies, data, close) goes through <see cref="_sendLock"/>. A client
/// that stops reading blocks only its own send loop; its session buffer then overflows per the
/// endpoint's client policy.</para>
/// <para>Ending: the client's close is answered; an oversized message is answered with
/// <see cref="WebSocketCloseStatus.MessageTooBig"/>; a session ended by the endpoint (backpressure
/// overflow under the disconnect policy, shutdown) closes the socket with its reason, or aborts it when
/// the send stays blocked for <see cref="WebSocketGatewayOptions.CloseTimeout"/>. The session is disposed
/// on every path.</para>
/// </remarks>
internal sealed class WebSocketConnection
{
    internal const string BinaryNotSupported = "binary frames are not supported; send text";
    internal const int MaxCloseReasonBytes = 123;

    private readonly WebSocket _socket;
    private readonly SpillwayEndpoint _endpoint;
    private readonly WebSocketGatewayOptions _options;
    private readonly ILogger _logger;
    private readonly RateLimitedLog _strangerWarnings;
    private readonly string _remoteAddress;
    private readonly CancellationTokenSource _abort;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private const int InitialJsonBufferBytes = 1024;
    private const int RetainedJsonBufferBytes = 64 * 1024;
    // The send loop's encoding buffer and writer, reused message after message (one send loop per connection).
    private ArrayBufferWriter<byte> _json;
    private readonly Utf8JsonWriter _jsonWriter;
    private readonly MessageReceiver _receiver;

    private ClientSession? _session;
    private Task? _sendLoop;
    private bool _closeSent;            // guarded by _sendLock
    private volatile bool _tearingDown; // we are disposing the session ourselves
    private volatile string? _endedByEndpoint;          // the session's close detail, for the log
    private string? _leaveReason;
    private string _application = ApplicationName.Unknown; // what the client's X-Application-Name said, once read

    public WebSocketConnection(WebSocket socket, SpillwayEndpoint endpoint, WebSocketGatewayOptions options,
        ILogger logger, RateLimitedLog strangerWarnings, string remoteAddress, CancellationToken requestAborted)
    {
        _strangerWarnings = strangerWarnings;
        _socket = socket;
        _endpoint = endpoint;
        _options = options;
        _logger = logger;
        _remoteAddress = remoteAddress;
        _abort = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        _receiver = new MessageReceiver(options.MaxMessageSize);
        _json = new ArrayBufferWriter<byte>(InitialJsonBufferBytes);
        _jsonWriter = BrokerJson.CreateWriter(_json);
    }

    /// <summary>
    /// The stream under <see cref="_socket"/>, when the send loop can write its data frames there in batches (an HTTP/1.1
    /// upgrade); null when every message goes through the WebSocket.
    /// </summary>
    public BatchedWriteStream? Batching { get; init; }

    /// <summary>The request's <c>X-Application-Name</c> header values, comma-joined; empty when absent.</summary>
    public string ApplicationHeader { get; init; } = "";

    public async Task RunAsync()
    {
        CancellationTokenRegistration onSessionClosed = default;
        try
        {
            if (ApplicationName.Read(ApplicationHeader, out var problem) is not { } application)
            {
                await RefuseApplicationNameAsync(problem!).ConfigureAwait(false);
                return;
            }
            _application = application;
            // An upgraded client holds one of the node's WebSocket slots: one that never sends its subscription list
            // must not hold it forever. The peering handshake's bound applies (EndpointOptions.HandshakeTimeout).
            using var subscribeDeadline = new CancellationTokenSource(_endpoint.Options.HandshakeTimeout, _endpoint.TimeProvider);
            using var onSubscribeDeadline = subscribeDeadline.Token.UnsafeRegister(
                static s => ((WebSocketConnection)s!).OnSubscribeDeadline(), this);
            await ReceiveLoopAsync(session => onSessionClosed =
                session.Closed.UnsafeRegister(static s => ((WebSocketConnection)s!).OnSessionClosed(), this)).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            SetLeaveReason(_abort.IsCancellationRequested ? "connection aborted" : $"connection lost: {e.Message}");
        }
        catch (Exception e)
        {
            _logger.LogError(e, "WebSocket client {Client} ({Remote}) failed", (object?)_session?.Id ?? "(not subscribed)", _remoteAddress);
            SetLeaveReason($"internal error: {e.Message}");
            Abort();
        }
        finally
        {
            await TearDownAsync(onSessionClosed).ConfigureAwait(false);
        }
    }

    // ---- receiving -------------------------------------------------------------------------------

    private async Task ReceiveLoopAsync(Action<ClientSession> attached)
    {
        var token = _abort.Token;
        while (true)
        {
            var kind = await _receiver.ReceiveAsync(_socket, token).ConfigureAwait(false);
            switch (kind)
            {
                case ReceivedMessageKind.Close:
                    SetLeaveReason(DescribeClientClose());
                    // Answer the client's close unless ours went first (then this was its answer).
                    await TrySendCloseAsync(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "").ConfigureAwait(false);
                    return;

                case ReceivedMessageKind.TooBig:
                    var reason = $"message exceeds the maximum size of {_options.MaxMessageSize} bytes";
                    _strangerWarnings.Warn("websocket message too big", "WebSocket client {Client} ({Remote}) sent a message over {Max} bytes; closing it",
                        (object?)_session?.Id ?? "(not subscribed)", _remoteAddress, _options.MaxMessageSize);
                    SetLeaveReason(reason);
                    await TrySendCloseAsync(WebSocketCloseStatus.MessageTooBig, reason).ConfigureAwait(false);
                    EndSession(); // nothing more can be sent: stop queuing for it while the close completes
                    await _receiver.DiscardUntilCloseAsync(_socket, token).ConfigureAwait(false);
                    return;

                case ReceivedMessageKind.Binary:
                    if (!IsOpenForMessages) continue;
                    await ReplyErrorAsync(BinaryNotSupported).ConfigureAwait(false);
                    break;

                case ReceivedMessageKind.Text when _session is null:
                    IReadOnlyList<string> subscriptions;
                    try
                    {
                        subscriptions = BrokerJson.ParseSubscriptions(_receiver.Message);
                    }
                    catch (BrokerJsonException e)
                    {
                        await ReplyErrorAsync(e.Message).ConfigureAwait(false);
                        break;
                    }
                    if (!await AttachAsync(subscriptions, attached).ConfigureAwait(false))
                    {
                        await _receiver.DiscardUntilCloseAsync(_socket, token).ConfigureAwait(false);
                        return;
                    }
                    break;

                case ReceivedMessageKind.Text:
                    if (!IsOpenForMessages) continue; // closing: the session is gone, drop what still arrives
                    string topic;
                    Value value;
                    try
                    {
                        (topic, value) = BrokerJson.ParseDataMessage(_receiver.Message);
                    }
                    catch (BrokerJsonException e)
                    {
                        await ReplyErrorAsync(e.Message).ConfigureAwait(false);
                        break;
                    }
                    _session!.Publish(topic, value);
                    break;
            }
        }
    }

    /// <summary>
    /// As Zeek does, right after the upgrade and before the subscription list: the error message, then close 1008
    /// with Zeek's reason. What the client still sends is read and dropped until its close arrives.
    /// </summary>
    private async Task RefuseApplicationNameAsync(string problem)
    {
        SetLeaveReason($"refused: {problem}");
        _strangerWarnings.Warn("websocket application name", "WebSocket client from {Remote} refused: {Problem}", _remoteAddress, problem);
        await SendAsync(BrokerJson.EncodeError(ApplicationName.InvalidCode, problem)).ConfigureAwait(false);
        await TrySendCloseAsync(WebSocketCloseStatus.PolicyViolation, ApplicationName.InvalidCloseReason).ConfigureAwait(false);
        await _receiver.DiscardUntilCloseAsync(_socket, _abort.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs on a timer thread when the handshake bound passes: a client still without a session is told why and
    /// closed (1008); the receive loop ends on its answer or when the close timeout aborts the connection.
    /// </summary>
    private void OnSubscribeDeadline()
    {
        if (Volatile.Read(ref _session) is not null || _tearingDown) return;
        var seconds = _endpoint.Options.HandshakeTimeout.TotalSeconds;
        var reason = $"no subscription list within {seconds:0.###} s";
        SetLeaveReason(reason);
        _strangerWarnings.Warn("websocket subscribe timeout", "WebSocket client from {Remote} sent no subscription list within {Seconds} s; closing it",
            _remoteAddress, seconds);
        _ = TrySendCloseAsync(WebSocketCloseStatus.PolicyViolation, reason);
    }

    private bool IsOpenForMessages => !Volatile.Read(ref _closeSent) && _session is not { Closed.IsCancellationRequested: true };

    /// <summary>Attaches the client and sends the ack; false when the endpoint refused (shutting down).</summary>
    private async Task<bool> AttachAsync(IReadOnlyList<string> subscriptions, Action<ClientSession> attached)
    {
        ClientSession session;
        try
        {
            session = _endpoint.AttachClient(_remoteAddress, subscriptions, _application);
        }
        catch (ObjectDisposedException)
        {
            SetLeaveReason("endpoint shutting down");
            await TrySendCloseAsync(WebSocketCloseStatus.EndpointUnavailable, "endpoint shutting down").ConfigureAwait(false);
            return false;
        }
        catch (BudgetExceededException e)
        {
            // Counted by the endpoint; the log line is per connection, like every other leave reason.
            SetLeaveReason($"refused: {e.Message}");
            _strangerWarnings.Warn("websocket " + e.Reason.ToLabel(), "WebSocket client from {Remote} refused: {Reason}", _remoteAddress, e.Message);
            await TrySendCloseAsync(WebSocketCloseStatus.PolicyViolation, e.Message).ConfigureAwait(false);
            return false;
        }
        _session = session;
        attached(session);
        // Any number of clients may come and go: lifecycle lines are rate-limited like strangers' warnings.
        _strangerWarnings.Info("websocket client connected", "WebSocket client {Client} ({Application}) connected from {Remote}, subscribed to [{Subscriptions}]",
            session.Id, _application, _remoteAddress, DescribeSubscriptions(subscriptions));
        // The ack goes out before the send loop starts, so it precedes every data message.
        if (!await SendAsync(BrokerJson.EncodeAck(_endpoint.Id, _options.Version)).ConfigureAwait(false)) return true;
        _sendLoop = Task.Run(() => SendLoopAsync(session));
        return true;
    }

    /// <summary>At most the first <see cref="LoggedSubscriptions"/> prefixes: a client may subscribe to thousands.</summary>
    private static string DescribeSubscriptions(IReadOnlyList<string> subscriptions) =>
        subscriptions.Count <= LoggedSubscriptions
            ? string.Join(", ", subscriptions)
            : $"{string.Join(", ", subscriptions.Take(LoggedSubscriptions))}, ... {subscriptions.Count} prefixes in all";

    private const int LoggedSubscriptions = 8;

    private Task<bool> ReplyErrorAsync(string context)
    {
        _logger.LogDebug("WebSocket client {Client} ({Remote}) sent malformed input: {Context}",
            (object?)_session?.Id ?? "(not subscribed)", _remoteAddress, context);
        return SendAsync(BrokerJson.EncodeError(BrokerJson.DeserializationFailed, context));
    }

    private string DescribeClientClose()
    {
        var status = _socket.CloseStatus is { } s ? $"{(int)s} {s}" : "no status";
        return string.IsNullOrEmpty(_socket.CloseStatusDescription)
            ? $"client closed the connection ({status})"
            : $"client closed the connection ({status}: {_socket.CloseStatusDescription})";
    }

    // ---- sending ---------------------------------------------------------------------------------

    private async Task SendLoopAsync(ClientSession session)
    {
        var batch = new ClientMessage[Math.Max(1, _endpoint.Options.DrainBatchSize)];
        var token = _abort.Token;
        try
        {
            while (!session.Closed.IsCancellationRequested)
            {
                var n = session.TakeBatch(batch);
                if (n == 0)
                {
                    await session.WaitForDataAsync(token).ConfigureAwait(false);
                    if (token.IsCancellationRequested) return;
                    continue;
                }
                if (!await SendBatchAsync(session, batch, n).ConfigureAwait(false)) return;
            }
            // The endpoint ended the session (backpressure overflow under the disconnect policy, or
            // shutdown): say why, unless we are the ones tearing it down.
            if (!_tearingDown)
            {
                var status = session.CloseReason == CloseReason.Shutdown
                    ? WebSocketCloseStatus.EndpointUnavailable
                    : WebSocketCloseStatus.PolicyViolation;
                await TrySendCloseAsync(status, session.CloseDetail ?? "session closed").ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            SetLeaveReason(token.IsCancellationRequested ? "connection aborted" : $"send failed: {e.Message}");
            Abort();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "WebSocket client {Client} ({Remote}): send loop failed", session.Id, _remoteAddress);
            SetLeaveReason($"internal error: {e.Message}");
            Abort();
        }
    }

    /// <summary>
    /// Encodes a queued message as a JSON data message into the send loop's one reused buffer, valid until the next
    /// call; null (logged) if JSON cannot carry it.
    /// </summary>
    private ReadOnlyMemory<byte>? EncodeForClient(ClientSession session, in ClientMessage message)
    {
        // A large message leaves the buffer large: let it go rather than hold it for the connection's lifetime.
        if (_json.Capacity > RetainedJsonBufferBytes) _json = new ArrayBufferWriter<byte>(InitialJsonBufferBytes);
        else _json.ResetWrittenCount();
        _jsonWriter.Reset(_json);
        try
        {
            BrokerJson.WriteDataMessage(_jsonWriter, message.Topic, message.Value);
            return _json.WrittenMemory;
        }
        catch (BrokerJsonException e)
        {
            _logger.LogWarning("WebSocket client {Client} ({Remote}): skipped a message on {Topic} that JSON cannot carry: {Reason}",
                session.Id, _remoteAddress, message.Topic, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Sends a batch of data messages through the single writer, taking it once for the batch; where it can
    /// (<see cref="Batching"/>), as frames written straight to the connection in one write. False once a close frame
    /// went out.
    /// </summary>
    private async Task<bool> SendBatchAsync(ClientSession session, ClientMessage[] batch, int n)
    {
        var token = _abort.Token;
        await _sendLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (_closeSent) return false;
            var frames = Batching;
            if (frames is not null) await frames.BeginBatchAsync(token).ConfigureAwait(false);
            try
            {
                for (var i = 0; i < n; i++)
                {
                    if (EncodeForClient(session, batch[i]) is not { } json) continue;
                    if (frames is null) await _socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, token).ConfigureAwait(false);
                    else if (!frames.TryAppendText(json.Span)) await frames.WriteTextAsync(json, token).ConfigureAwait(false);
                }
            }
            finally
            {
                if (frames is not null) await frames.EndBatchAsync(token).ConfigureAwait(false);
            }
            return true;
        }
        finally
        {
            batch.AsSpan(0, n).Clear(); // let the messages' values go
            _sendLock.Release();
        }
    }

    /// <summary>Sends one text message through the single writer; false once a close frame went out.</summary>
    private async Task<bool> SendAsync(ReadOnlyMemory<byte> utf8)
    {
        var token = _abort.Token;
        await _sendLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (_closeSent) return false;
            await _socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, token).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Sends our close frame once (through the single writer). If the writer stays blocked (a client that
    /// does not read) or the client does not answer within the close timeout, the connection is aborted.
    /// </summary>
    private async Task TrySendCloseAsync(WebSocketCloseStatus status, string reason)
    {
        bool acquired;
        try
        {
            acquired = await _sendLock.WaitAsync(_options.CloseTimeout, _abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (!acquired)
        {
            SetLeaveReason("close timed out");
            Abort();
            return;
        }
        try
        {
            if (_closeSent) return;
            Volatile.Write(ref _closeSent, true);
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(status, TruncateReason(reason), _abort.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            Abort();
        }
        finally
        {
            _sendLock.Release();
        }
        ArmAbort();
    }

    // ---- ending ----------------------------------------------------------------------------------

    /// <summary>Runs on whichever thread closed the session (possibly a publisher): only arms the backstop.</summary>
    private void OnSessionClosed()
    {
        if (!_tearingDown) _endedByEndpoint = _session?.CloseDetail;
        ArmAbort();
    }

    /// <summary>Aborts the connection after the close timeout unless it has ended by then.</summary>
    private void ArmAbort()
    {
        try { _abort.CancelAfter(_options.CloseTimeout); }
        catch (ObjectDisposedException) { }
    }

    private void Abort()
    {
        try { _abort.Cancel(); }
        catch (ObjectDisposedException) { }
        _socket.Abort();
    }

    /// <summary>Detaches the client from the endpoint (idempotent); the send loop wakes and ends.</summary>
    private void EndSession()
    {
        _tearingDown = true;
        _session?.Dispose();
    }

    private async Task TearDownAsync(CancellationTokenRegistration onSessionClosed)
    {
        await onSessionClosed.DisposeAsync().ConfigureAwait(false);
        EndSession();
        var session = _session;
        if (_sendLoop is { } sendLoop)
        {
            try
            {
                await sendLoop.WaitAsync(_options.CloseTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Abort(); // blocked in a send to a client that stopped reading
                await sendLoop.ConfigureAwait(false);
            }
        }
        if (session is not null)
        {
            _strangerWarnings.Info("websocket client left", "WebSocket client {Client} ({Application}, {Remote}) left: {Reason}",
                session.Id, _application, _remoteAddress, _endedByEndpoint ?? _leaveReason ?? "connection ended");
        }
        else
        {
            _logger.LogDebug("WebSocket connection from {Remote} ended before subscribing: {Reason}",
                _remoteAddress, _leaveReason ?? "connection ended");
        }
        _receiver.Dispose();
        _abort.Dispose();
    }

    private void SetLeaveReason(string reason) => Interlocked.CompareExchange(ref _leaveReason, reason, null);

    private static bool IsConnectionFailure(Exception e) =>
        e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException;

    /// <summary>A close reason is limited to 123 bytes of UTF-8.</summary>
    internal static string TruncateReason(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes) return reason;
        var length = reason.Length;
        while (length > 0 && Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxCloseReasonBytes - 3) length--;
        if (length > 0 && char.IsHighSurrogate(reason[length - 1])) length--;
        return string.Concat(reason.AsSpan(0, length), "…");
    }
}
