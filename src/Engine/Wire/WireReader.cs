using System.Buffers.Binary;
using Spillway.Engine.Data;

namespace Spillway.Engine.Wire;

/// <summary>
/// Reads what <see cref="WireWriter"/> writes. Every truncation or malformed primitive throws
/// <see cref="WireFormatException"/> with a reason suitable for logging.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _source;
    private int _position;

    public WireReader(ReadOnlySpan<byte> source)
    {
        _source = source;
        _position = 0;
    }

    public readonly int Position => _position;
    public readonly int Remaining => _source.Length - _position;
    public readonly bool IsAtEnd => _position >= _source.Length;

    public byte ReadByte()
    {
        Need(1);
        return _source[_position++];
    }

    public ushort ReadUInt16()
    {
        var value = BinaryPrimitives.ReadUInt16BigEndian(Take(sizeof(ushort)));
        return value;
    }

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(sizeof(uint)));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(sizeof(ulong)));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(sizeof(long)));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleBigEndian(Take(sizeof(double)));

    /// <summary>Unsigned LEB128, at most 5 bytes; a value above <see cref="uint.MaxValue"/> is rejected.
    /// Non-minimal encodings (e.g. 0x80 0x00 for 0) are accepted.</summary>
    public uint ReadVarUInt32()
    {
        int start = _position;
        uint result = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (IsAtEnd)
                throw new WireFormatException(
                    $"truncated frame: varint at offset {start} needs more than {_position - start} bytes, 0 left");
            byte b = _source[_position++];
            if (shift == 28 && b > 0x0F)
                throw new WireFormatException(
                    b >= 0x80
                        ? $"varint at offset {start} is longer than 5 bytes"
                        : $"varint at offset {start} overflows 32 bits");
            result |= (uint)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>varuint byte length followed by that many bytes of strictly valid UTF-8.</summary>
    public string ReadString()
    {
        int start = _position;
        var bytes = ReadStringBytes();
        return bytes.IsEmpty ? string.Empty : Decode(bytes, start);
    }

    /// <summary>
    /// Like <see cref="ReadString"/>, for a data frame's topic: a topic this peering received lately comes from
    /// <paramref name="topics"/> (compared, not decoded or allocated again); a new one is decoded and remembered.
    /// </summary>
    public string ReadTopic(TopicCache topics)
    {
        int start = _position;
        var bytes = ReadStringBytes();
        if (bytes.IsEmpty) return string.Empty;
        if (topics.TryGet(bytes, out var topic)) return topic;
        topic = Decode(bytes, start);
        topics.Add(bytes, topic);
        return topic;
    }

    /// <summary>
    /// A message's string value: ASCII is copied out of the frame as it is and widened only when read; other text is
    /// decoded now, as <see cref="ReadString"/> does (<see cref="StringValue"/>).
    /// </summary>
    public StringValue ReadMessageString()
    {
        int start = _position;
        var bytes = ReadStringBytes();
        return StringValue.TryFromAscii(bytes) ?? new StringValue(Decode(bytes, start));
    }

    private ReadOnlySpan<byte> ReadStringBytes()
    {
        int start = _position;
        uint length = ReadVarUInt32();
        if (length > (uint)Remaining)
            throw new WireFormatException(
                $"truncated frame: string at offset {start} declares {length} bytes, {Remaining} left");
        var bytes = _source.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    private static string Decode(ReadOnlySpan<byte> bytes, int start) =>
        Utf8Text.TryDecode(bytes, out var text) ? text : throw InvalidUtf8(start);

    private static WireFormatException InvalidUtf8(int start) => new($"invalid UTF-8 in string at offset {start}");

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Take(count);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        Need(count);
        var span = _source.Slice(_position, count);
        _position += count;
        return span;
    }

    private readonly void Need(int count)
    {
        if (count > Remaining)
            throw new WireFormatException(
                $"truncated frame: needed {count} bytes at offset {_position}, {Remaining} left");
    }
}
