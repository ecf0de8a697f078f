using System.Buffers;
using System.Net.WebSockets;

namespace Spillway.WebSockets;

/// <summary>
/// Reads whole WebSocket messages into one pooled buffer that grows up to the size limit. Bytes are
/// counted across fragments, and at most one byte beyond the limit is ever read, so an oversized
/// message is detected without buffering it.
/// </summary>
internal sealed class MessageReceiver : IDisposable
{
    private const int InitialSize = 4096;
    private const int KeepSize = 64 * 1024;

    private readonly int _maxMessageSize;
    private byte[] _buffer;
    private int _length;

    public MessageReceiver(int maxMessageSize)
    {
        _maxMessageSize = maxMessageSize;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, maxMessageSize + 1));
    }

    /// <summary>The last text or binary message read.</summary>
    public ReadOnlySpan<byte> Message => _buffer.AsSpan(0, _length);

    /// <summary>Bytes read of the last message (for an oversized one: the limit plus one).</summary>
    public int Length => _length;

    public async ValueTask<ReceivedMessageKind> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        ShrinkIfLarge();
        _length = 0;
        while (true)
        {
            if (_length == Capacity) Grow();
            var result = await socket.ReceiveAsync(_buffer.AsMemory(_length, Capacity - _length), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) return ReceivedMessageKind.Close;
            _length += result.Count;
            if (_length > _maxMessageSize) return ReceivedMessageKind.TooBig;
            if (result.EndOfMessage)
                return result.MessageType == WebSocketMessageType.Text ? ReceivedMessageKind.Text : ReceivedMessageKind.Binary;
        }
    }

    /// <summary>Reads and discards everything until the client's close frame (after we sent ours).</summary>
    public async ValueTask DiscardUntilCloseAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        ShrinkIfLarge();
        _length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) return;
        }
    }

    /// <summary>The usable part of the (pooled, possibly larger) buffer: never beyond limit + 1.</summary>
    private int Capacity => (int)Math.Min(_buffer.Length, (long)_maxMessageSize + 1);

    private void Grow()
    {
        // Never more than limit + 1: enough to see that a message is too big.
        var size = (int)Math.Min((long)_buffer.Length * 2, (long)_maxMessageSize + 1);
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    private void ShrinkIfLarge()
    {
        // One big message should not pin a large buffer for the rest of the connection.
        if (_buffer.Length <= KeepSize) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, _maxMessageSize + 1));
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
