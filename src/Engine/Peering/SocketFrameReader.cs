using Spillway.Engine.Wire;

namespace Spillway.Engine.Peering;

/// <summary>
/// Cuts a connection's byte stream (plain or TLS) into frames. <see cref="TryReadFrame"/> hands out bodies that point into
/// the receive buffer (valid until the next fill), so parsing allocates only the decoded values. The
/// buffer grows for a large frame, up to the maximum frame size.
/// </summary>
internal sealed class SocketFrameReader(Stream stream, int maxFrameSize)
{
    private const int InitialSize = 64 * 1024;
    private byte[] _buffer = new byte[InitialSize];
    private int _start;
    private int _end;

    /// <summary>Reads more bytes; returns false when the remote closed the connection.</summary>
    public async ValueTask<bool> FillAsync(int maxBytes, CancellationToken cancellationToken)
    {
        Compact();
        var room = Math.Min(_buffer.Length - _end, maxBytes);
        var read = await stream.ReadAsync(_buffer.AsMemory(_end, room), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    /// <summary>Takes the next whole frame out of what was received, if there is one.</summary>
    public bool TryReadFrame(out FrameType type, out ReadOnlySpan<byte> body, out ReadOnlySpan<byte> wholeFrame)
    {
        type = default;
        body = default;
        wholeFrame = default;
        var available = _end - _start;
        if (available < FrameCodec.LengthPrefixSize) return false;
        var length = FrameCodec.ReadDeclaredLength(_buffer.AsSpan(_start), maxFrameSize);
        var total = FrameCodec.LengthPrefixSize + length;
        if (available < total)
        {
            EnsureRoom(total);
            return false;
        }
        wholeFrame = _buffer.AsSpan(_start, total);
        type = (FrameType)wholeFrame[FrameCodec.LengthPrefixSize];
        body = wholeFrame[(FrameCodec.LengthPrefixSize + 1)..];
        _start += total;
        return true;
    }

    private void EnsureRoom(int frameSize)
    {
        if (frameSize <= _buffer.Length) return;
        var bigger = new byte[Math.Max(frameSize, _buffer.Length * 2)];
        _buffer.AsSpan(_start, _end - _start).CopyTo(bigger);
        _end -= _start;
        _start = 0;
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
