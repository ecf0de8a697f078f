using System.Buffers;
using System.Buffers.Binary;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Peering;

/// <summary>
/// Cuts a connection's byte stream (the socket, or whatever transport wraps it) into frames. <see cref="TryReadFrame"/> hands out bodies that point into
/// the receive buffer (valid until the next fill), so parsing allocates only the decoded values.
/// </summary>
/// <remarks>
/// The buffer grows as a large frame's bytes actually arrive (doubling, up to the frame's size), never on the
/// declared length alone: a header announcing 16 MiB costs nothing until 16 MiB are really sent. A declared
/// length above <see cref="MaxFrameSize"/> is refused at once; before the hello exchange completes that limit
/// is the small handshake budget, raised with <see cref="MaxFrameSize"/> once the remote is a known peer.
/// <para>
/// When it holds nothing, the reader holds no buffer either: it gives its buffer back to the shared pool and waits
/// for data with a zero-byte read (sockets and TLS streams complete one when bytes arrive, without a buffer),
/// then rents one to read into. An idle peering therefore costs no receive buffer, as in Kestrel's socket
/// transport, for one more non-blocking read each time the connection runs dry.
/// </para>
/// </remarks>
internal sealed class FrameReader(Stream stream, int maxFrameSize, RefusalReason tooLarge = RefusalReason.FrameSize)
{
    private const int InitialSize = 64 * 1024;
    private byte[] _buffer = [];
    private bool _rented; // _buffer came from the shared pool (grown buffers do not)
    private int _start;
    private int _end;
    private int _pendingFrame; // total size of the frame whose header has arrived but not its body; 0 if none

    /// <summary>The largest frame accepted from now on, and which budget a larger one exceeds.</summary>
    public void SetMaxFrameSize(int size, RefusalReason reason)
    {
        maxFrameSize = size;
        tooLarge = reason;
    }

    /// <summary>The largest frame accepted now.</summary>
    public int MaxFrameSize => maxFrameSize;

    /// <summary>True when some bytes of a frame have arrived but not the whole frame.</summary>
    public bool HasPartialFrame => _end > _start;

    /// <summary>Bytes held now (received, not yet handed out), for tests.</summary>
    internal int BufferedBytes => _end - _start;

    /// <summary>Bytes of receive buffer held now: zero while nothing is buffered and the reader waits for data.</summary>
    internal int HeldBufferBytes => _buffer.Length;

    /// <summary>
    /// Reads more bytes; returns false when the remote closed the connection. Frame bodies handed out before are
    /// invalid from this call on.
    /// </summary>
    public async ValueTask<bool> FillAsync(int maxBytes, CancellationToken cancellationToken)
    {
        Compact();
        if (_end == 0)
        {
            // Nothing held: wait for data without a buffer, then take one for the frames allowed now.
            Release();
            await stream.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            Acquire();
        }
        else if (_end == _buffer.Length) Grow();
        var room = Math.Min(_buffer.Length - _end, maxBytes);
        var read = await stream.ReadAsync(_buffer.AsMemory(_end, room), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    /// <summary>
    /// Takes a buffer for the frames allowed now: 64 KiB from the shared pool, or, while the handshake budget is
    /// smaller, an array of exactly that budget (the pool would round it up to a power of two, and a remote that has
    /// not said hello yet gets no more room than its budget).
    /// </summary>
    private void Acquire()
    {
        var size = Math.Min(InitialSize, maxFrameSize + FrameCodec.LengthPrefixSize);
        _rented = size == InitialSize;
        _buffer = _rented ? ArrayPool<byte>.Shared.Rent(size) : new byte[size];
    }

    /// <summary>Lets the buffer go, back to the pool if it came from there; its bytes must have been read or copied.</summary>
    private void Release()
    {
        if (_rented) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _rented = false;
    }

    /// <summary>Takes the next whole frame out of what was received, if there is one.</summary>
    public bool TryReadFrame(out FrameType type, out ReadOnlySpan<byte> body)
    {
        type = default;
        body = default;
        var available = _end - _start;
        if (available < FrameCodec.LengthPrefixSize) return false;
        var declared = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_start));
        if (declared > (uint)maxFrameSize)
            throw new BudgetExceededException(tooLarge, tooLarge == RefusalReason.HandshakeBytes
                ? $"frame of {declared} bytes before the handshake completed exceeds the handshake limit of {maxFrameSize} bytes"
                : $"frame of {declared} bytes exceeds the maximum frame size of {maxFrameSize} bytes");
        var length = FrameCodec.ReadDeclaredLength(_buffer.AsSpan(_start), maxFrameSize);
        var total = FrameCodec.LengthPrefixSize + length;
        if (available < total)
        {
            _pendingFrame = total;
            return false;
        }
        _pendingFrame = 0;
        var wholeFrame = _buffer.AsSpan(_start, total);
        type = (FrameType)wholeFrame[FrameCodec.LengthPrefixSize];
        body = wholeFrame[(FrameCodec.LengthPrefixSize + 1)..];
        _start += total;
        return true;
    }

    /// <summary>The buffer is full of one incomplete frame: double it, but never beyond that frame's size.</summary>
    private void Grow()
    {
        var needed = Math.Max(_pendingFrame, FrameCodec.LengthPrefixSize);
        if (needed <= _buffer.Length) return;
        // Not from the pool: a buffer this large is the exception, and it goes back to the GC once the frame is read.
        var bigger = new byte[(int)Math.Min(Math.Max((long)_buffer.Length * 2, InitialSize), needed)];
        _buffer.AsSpan(0, _end).CopyTo(bigger);
        Release();
        _buffer = bigger;
    }

    private void Compact()
    {
        if (_start == 0) return;
        var pending = _end - _start;
        if (pending > 0) _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        _start = 0;
        _end = pending;
    }
}
