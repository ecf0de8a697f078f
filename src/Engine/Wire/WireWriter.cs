using System.Buffers.Binary;
using System.Text;

namespace Spillway.Engine.Wire;

/// <summary>
/// Writes big-endian primitives, LEB128 varints and length-prefixed UTF-8 strings into a span.
/// Callers size the destination exactly first (see <see cref="ValueCodec.GetEncodedSize"/>); writing past
/// the end throws <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentException"/>.
/// Never allocates.
/// </summary>
internal ref struct WireWriter
{
    /// <summary>Strict UTF-8: a string with a lone surrogate cannot be encoded (throws) instead of being
    /// silently replaced by U+FFFD, which would not round-trip.</summary>
    internal static readonly UTF8Encoding StrictUtf8 =
        new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Span<byte> _destination;
    private int _written;

    public WireWriter(Span<byte> destination)
    {
        _destination = destination;
        _written = 0;
    }

    public readonly int Written => _written;

    public void WriteByte(byte value)
    {
        _destination[_written] = value;
        _written++;
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_destination.Slice(_written), value);
        _written += sizeof(ushort);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_destination.Slice(_written), value);
        _written += sizeof(uint);
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_destination.Slice(_written), value);
        _written += sizeof(ulong);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_destination.Slice(_written), value);
        _written += sizeof(long);
    }

    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleBigEndian(_destination.Slice(_written), value);
        _written += sizeof(double);
    }

    /// <summary>Unsigned LEB128, minimal form: 7 bits per byte, least significant group first, high bit set on
    /// every byte but the last. 1 to 5 bytes.</summary>
    public void WriteVarUInt32(uint value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        WriteByte((byte)value);
    }

    /// <summary>Number of bytes <see cref="WriteVarUInt32"/> emits for <paramref name="value"/>.</summary>
    public static int GetVarUInt32Size(uint value) =>
        value < 1u << 7 ? 1 : value < 1u << 14 ? 2 : value < 1u << 21 ? 3 : value < 1u << 28 ? 4 : 5;

    /// <summary>varuint byte length followed by the UTF-8 bytes, encoded straight into the destination.</summary>
    /// <exception cref="ArgumentException">The string contains a lone surrogate (not encodable as UTF-8).</exception>
    /// <remarks>
    /// One pass over the string: the sizing pass has already counted its bytes, and counting them again here to write
    /// the prefix first was a second pass. A string has at least as many UTF-8 bytes as chars, so its prefix is at least
    /// the prefix of its char count: the bytes are encoded after that much room, then moved up in the rare case the
    /// real count needs a longer prefix (64 'é' are 128 bytes: one prefix byte guessed, two needed).
    /// </remarks>
    public void WriteString(string value)
    {
        int guessed = GetVarUInt32Size((uint)value.Length);
        int encoded = StrictUtf8.GetBytes(value, _destination.Slice(_written + guessed));
        int prefix = GetVarUInt32Size((uint)encoded);
        if (prefix != guessed) _destination.Slice(_written + guessed, encoded).CopyTo(_destination.Slice(_written + prefix));
        WriteVarUInt32((uint)encoded);
        _written += encoded;
    }

    /// <summary>A wire string whose UTF-8 is at hand already: its length, then the bytes.</summary>
    public void WriteString(scoped ReadOnlySpan<byte> utf8)
    {
        WriteVarUInt32((uint)utf8.Length);
        WriteBytes(utf8);
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination.Slice(_written));
        _written += bytes.Length;
    }
}
