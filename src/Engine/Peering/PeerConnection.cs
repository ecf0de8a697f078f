using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Peering;

/// <summary>
/// One live TCP peering after a completed hello exchange: a read loop that parses frames and a drain
/// loop that writes the send buffer to the connection's stream in batches. Control frames (subscription
/// updates) travel beside the buffer and are never dropped by its overflow policy. The stream is the
/// socket's, or a transport wrapped around it by the handshake; this class never touches the wire below it.
/// </summary>
internal sealed class PeerConnection : RemoteSubscriber
{
    private const int WriteChunkSize = 64 * 1024;

    private readonly IPeerHost _host;
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly FrameReader _reader;
    private readonly ConcurrentQueue<byte[]> _control = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private int _closing;
    private long _framesRead; // read loop only

    public PeerConnection(IPeerHost host, Socket socket, Stream stream, FrameReader reader, PeerInfo info,
        SendBuffer<object> buffer, IReadOnlyList<string> subscriptions, ILogger logger)
        : base(info, SubscriberKind.Peer, subscriptions)
    {
        _host = host;
        _socket = socket;
        _stream = stream;
        _reader = reader;
        Buffer = buffer;
        _logger = logger;
        Liveness = new PeeringLiveness(host.TimeProvider, host.HeartbeatInterval, host.HeartbeatTimeout,
            () => SendControl(FrameCodec.Heartbeat),
            silent => Close(CloseReason.HeartbeatTimeout, $"heartbeat timeout (nothing received for {silent.TotalSeconds:0.#} s)"));
    }

    /// <summary>Frames to send: encoded (<c>byte[]</c>) or not yet (<see cref="DeferredFrame"/>); see <see cref="QueuedFrame"/>.</summary>
    public SendBuffer<object> Buffer { get; }

    /// <summary>The topics this peering received lately, decoded once (the read loop's alone).</summary>
    internal TopicCache ReceivedTopics { get; } = new();

    /// <summary>Heartbeats: what this peering last heard from the remote, and the timer that sends and checks.</summary>
    internal PeeringLiveness Liveness { get; }

    /// <summary>Completes once the peering is torn down, for whatever reason.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Cancelled when the peering closes: per-peering timers (heartbeats, budgets) stop on it.</summary>
    public CancellationToken Stopping => _stop.Token;

    public void Start()
    {
        _ = Task.Run(ReadLoopAsync);
        _ = Task.Run(DrainLoopAsync);
        Liveness.Start();
    }

    public void SendControl(byte[] frame)
    {
        _control.Enqueue(frame);
        Buffer.Wake();
    }

    public override void Offer(string topic, Value value, EndpointId? origin, ref PublishEncoding encoding)
    {
        if (Buffer.Push(encoding.Item()) == PushOutcome.OverflowDisconnect) Close(CloseReason.BackpressureOverflow, "backpressure overflow");
    }

    public override PeeringStats ReadStats(long now) => ToPeeringStats(Buffer.GetStats(now));

    /// <summary>Tears the peering down once; later calls are no-ops.</summary>
    public override void Close(CloseReason reason, string detail)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1) return;
        Liveness.Dispose();
        var discarded = Buffer.Close();
        _stop.Cancel();
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _stream.Dispose();
        _socket.Dispose();
        _host.OnPeerClosed(this, reason, detail, discarded);
        _closed.TrySetResult();
    }

    private async Task ReadLoopAsync()
    {
        var token = _stop.Token;
        var rateLimit = _host.InboundMessagesPerSecond;
        // A slow consumer reads small chunks so that its pace, not the chunk size, sets the backpressure.
        var chunk = rateLimit > 0 ? 4096 : int.MaxValue;
        // A frame that starts must finish within the frame read timeout: the deadline is armed when bytes of
        // an incomplete frame are held, re-armed whenever a frame completes, and disarmed when none is pending.
        var timeout = _host.FrameReadTimeout;
        using var deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _host.TimeProvider);
        using var onStop = token.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline);
        var armed = false;
        try
        {
            while (true)
            {
                var framesBefore = _framesRead;
                var messages = DispatchBufferedFrames();
                if (rateLimit > 0 && messages > 0)
                    await Task.Delay(TimeSpan.FromSeconds((double)messages / rateLimit), _host.TimeProvider, token).ConfigureAwait(false);
                if (_reader.HasPartialFrame)
                {
                    if (!armed || _framesRead != framesBefore) deadline.CancelAfter(timeout);
                    armed = true;
                }
                else if (armed)
                {
                    deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                    armed = false;
                }
                if (!await _reader.FillAsync(chunk, deadline.Token).ConfigureAwait(false))
                {
                    Close(CloseReason.ConnectionLost, "connection closed by the remote side");
                    return;
                }
                Liveness.MarkHeard();
            }
        }
        catch (Exception) when (deadline.IsCancellationRequested && !token.IsCancellationRequested)
        {
            ExceedBudget(RefusalReason.FrameTimeout,
                $"a frame stalled: {_reader.BufferedBytes} bytes of it arrived, the rest not within {timeout.TotalSeconds:0.###} s");
        }
        catch (BudgetExceededException e)
        {
            ExceedBudget(e.Reason, e.Message);
        }
        catch (WireFormatException e)
        {
            Close(CloseReason.MalformedInput, $"malformed input: {e.Message}");
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested) { }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Close(CloseReason.ConnectionLost, $"connection error: {e.Message}");
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Unexpected failure reading from peer {Peer}", Info);
            Close(CloseReason.InternalError, $"internal error: {e.Message}");
        }
    }

    private void ExceedBudget(RefusalReason reason, string detail)
    {
        _host.OnBudgetExceeded(this, reason, detail);
        Close(CloseReason.BudgetExceeded, $"budget exceeded: {detail}");
    }

    private int DispatchBufferedFrames()
    {
        var messages = 0;
        while (_reader.TryReadFrame(out var type, out var body))
        {
            _framesRead++;
            switch (type)
            {
                case FrameType.Data:
                    _host.DeliverFromPeer(this, body);
                    messages++;
                    break;
                case FrameType.Subscriptions:
                    var subscriptions = FrameCodec.DecodeSubscriptions(body);
                    if (subscriptions.Length > _host.MaxSubscriptions)
                        throw new BudgetExceededException(RefusalReason.Subscriptions,
                            $"subscribes to {subscriptions.Length} topic prefixes, more than the maximum of {_host.MaxSubscriptions}");
                    ReplaceSubscriptions(subscriptions);
                    break;
                case FrameType.Heartbeat:
                    // Liveness was already noted when the bytes arrived; the frame itself carries nothing.
                    if (!body.IsEmpty) throw new WireFormatException($"{body.Length} unexpected trailing bytes after the heartbeat frame");
                    Liveness.OnHeartbeatReceived();
                    break;
                case FrameType.Hello:
                    throw new WireFormatException("unexpected second hello frame");
                default:
                    throw new WireFormatException($"unknown frame type {(byte)type}");
            }
        }
        return messages;
    }

    private async Task DrainLoopAsync()
    {
        var token = _stop.Token;
        var batch = new object[_host.DrainBatchSize];
        try
        {
            while (!token.IsCancellationRequested)
            {
                await Buffer.WaitForDataAsync(token).ConfigureAwait(false);
                // The write chunk is held only while there is something to send: an idle peering holds none.
                // On a failed write it is left to the GC, never returned while the socket might still read it.
                var chunk = ArrayPool<byte>.Shared.Rent(WriteChunkSize);
                while (!token.IsCancellationRequested)
                {
                    var used = 0;
                    var onlyHeartbeats = true;
                    while (_control.TryDequeue(out var control))
                    {
                        onlyHeartbeats &= ReferenceEquals(control, FrameCodec.Heartbeat);
                        used = await AppendAsync(chunk, used, control, token).ConfigureAwait(false);
                    }
                    var n = Buffer.TakeBatch(batch, EndpointOptions.DrainBatchBytes);
                    if (n > 0 || !onlyHeartbeats) Liveness.MarkSent();
                    for (var i = 0; i < n; i++)
                    {
                        used = await AppendAsync(chunk, used, batch[i], token).ConfigureAwait(false);
                        batch[i] = null!;
                    }
                    if (used > 0) await _stream.WriteAsync(chunk.AsMemory(0, used), token).ConfigureAwait(false);
                    if (n == 0 && used == 0) break;
                }
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested) { }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Close(CloseReason.ConnectionLost, $"connection error: {e.Message}");
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Unexpected failure writing to peer {Peer}", Info);
            Close(CloseReason.InternalError, $"internal error: {e.Message}");
        }
    }

    /// <summary>Writes a frame (see <see cref="QueuedFrame"/>) into the write chunk, writing the chunk first when it would not fit.</summary>
    private async ValueTask<int> AppendAsync(byte[] chunk, int used, object frame, CancellationToken token)
    {
        var length = QueuedFrame.LengthOf(frame);
        if (used + length > chunk.Length)
        {
            if (used > 0) await _stream.WriteAsync(chunk.AsMemory(0, used), token).ConfigureAwait(false);
            used = 0;
            if (length > chunk.Length)
            {
                // Larger than a chunk: written on its own, from an array of its size.
                if (frame is not byte[] large)
                {
                    large = new byte[length];
                    QueuedFrame.Write(frame, large);
                }
                await _stream.WriteAsync(large, token).ConfigureAwait(false);
                return 0;
            }
        }
        QueuedFrame.Write(frame, chunk.AsSpan(used, length));
        return used + length;
    }
}
