using System.Buffers;
using System.Buffers.Binary;

namespace Spillway.WebSockets;

/// <summary>
/// The upgraded connection under a server WebSocket, through which the send loop writes its data messages in batches:
/// many text frames, framed here, reach the connection as one write.
/// </summary>
/// <remarks>
/// <para>Every write to Kestrel's upgraded stream is flushed to the socket at once, and the WebSocket writes each
/// message as its own frame: one pipe flush (and usually one <c>send</c> system call) per message, plus the
/// WebSocket's per-send work. The send loop drains its session in batches, so between <see cref="BeginBatchAsync"/>
/// and <see cref="EndBatchAsync"/> it appends whole unmasked text frames (RFC 6455 §5.2) to one buffer, written out at
/// the end or whenever the buffer fills.</para>
/// <para>The WebSocket itself still does everything else through this stream: the handshake's ack and error replies,
/// reading, pong answers, keep-alive pings, close. Its writes pass straight through; <see cref="_gate"/> orders them
/// with the batches (one that arrives during a batch goes out after it), so frames never interleave. Data frames need
/// no state of the WebSocket's: each is a whole message (FIN set), uncompressed, and none is written after our close
/// (the connection checks that under its send lock).</para>
/// </remarks>
internal sealed class BatchedWriteStream(Stream connection) : Stream
{
    /// <summary>A batch is written out once it holds this much (one 64 KiB socket send).</summary>
    internal const int BatchBytes = 64 * 1024;

    private const byte FinText = 0x81;  // FIN + opcode 1 (text)
    private const int MaxHeaderBytes = 10;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _held;   // rented for a batch's duration only: an idle client holds no buffer
    private int _heldCount;

    /// <summary>Starts a batch: the WebSocket's own writes wait until <see cref="EndBatchAsync"/>.</summary>
    public Task BeginBatchAsync(CancellationToken cancellationToken) => _gate.WaitAsync(cancellationToken);

    /// <summary>Appends one text message as a whole frame; false when the batch has no room for it.</summary>
    public bool TryAppendText(ReadOnlySpan<byte> utf8)
    {
        _held ??= ArrayPool<byte>.Shared.Rent(BatchBytes);
        var room = _held.AsSpan(_heldCount);
        if (room.Length < MaxHeaderBytes + utf8.Length) return false;
        var header = WriteHeader(room, utf8.Length);
        utf8.CopyTo(room[header..]);
        _heldCount += header + utf8.Length;
        return true;
    }

    /// <summary>The way for a message <see cref="TryAppendText"/> had no room for: what the batch holds goes out first.</summary>
    public async ValueTask WriteTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        await WriteHeldAsync(cancellationToken).ConfigureAwait(false);
        if (TryAppendText(utf8.Span)) return;
        // Over the batch size: its header from the (now empty) batch buffer, then the message itself.
        var length = WriteHeader(_held, utf8.Length);
        await connection.WriteAsync(_held.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        await connection.WriteAsync(utf8, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes out what the batch holds and lets the WebSocket's own writes through again.</summary>
    public async ValueTask EndBatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteHeldAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (_held is { } held) ArrayPool<byte>.Shared.Return(held);
            (_held, _heldCount) = (null, 0);
            _gate.Release();
        }
    }

    private async ValueTask WriteHeldAsync(CancellationToken cancellationToken)
    {
        if (_heldCount == 0) return;
        var count = _heldCount;
        _heldCount = 0; // a failed write fails the connection: nothing held is retried
        await connection.WriteAsync(_held!.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A server's frame header (no mask) for a final text frame of <paramref name="length"/> bytes; its size.</summary>
    internal static int WriteHeader(Span<byte> destination, int length)
    {
        destination[0] = FinText;
        if (length < 126)
        {
            destination[1] = (byte)length;
            return 2;
        }
        if (length <= ushort.MaxValue)
        {
            destination[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
            return 4;
        }
        destination[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)length);
        return 10;
    }

    // ---- the WebSocket's side: a plain stream whose writes wait for a batch in progress ---------

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => connection.FlushAsync(cancellationToken);

    public override void Flush() => connection.Flush();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        connection.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        connection.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => connection.Read(buffer, offset, count);

    public override bool CanRead => connection.CanRead;
    public override bool CanWrite => connection.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) connection.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await connection.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
