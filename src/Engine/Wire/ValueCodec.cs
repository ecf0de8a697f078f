using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Spillway.Engine.Data;

namespace Spillway.Engine.Wire;

/// <summary>
/// Binary encoding of <see cref="Value"/> for the peering wire (docs/wire-format.md):
/// <c>value := u8 tag (ValueKind) | payload</c>.
/// </summary>
/// <remarks>
/// Nesting depth counts containers (vector, set, table): a scalar at top level has depth 0, a vector of
/// scalars depth 1, a vector inside a vector depth 2, and so on. Depth up to <see cref="MaxNestingDepth"/>
/// is accepted. <see cref="GetEncodedSize"/> and <see cref="Write"/> throw <see cref="ArgumentException"/>
/// for a value that cannot be encoded (too deep, subnet prefix too long, undefined port protocol,
/// string with a lone surrogate), so it fails at the sender instead of closing the peering at the receiver.
/// </remarks>
internal static class ValueCodec
{
    public const int MaxNestingDepth = 32;

    private const byte FamilyV4 = 4;
    private const byte FamilyV6 = 6;

    /// <summary>Exact number of bytes <see cref="Write"/> produces for <paramref name="value"/>.</summary>
    public static int GetEncodedSize(Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        long size = SizeOf(value, 0);
        if (size > int.MaxValue)
            throw new ArgumentException($"encoded value would be {size} bytes, more than {int.MaxValue}", nameof(value));
        return (int)size;
    }

    /// <summary>Size of a wire string: varuint byte length + UTF-8 bytes.</summary>
    public static int GetStringSize(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return GetStringSize(WireWriter.StrictUtf8.GetByteCount(s));
    }

    /// <summary>Size of a wire string of <paramref name="utf8Bytes"/> UTF-8 bytes.</summary>
    public static int GetStringSize(int utf8Bytes) => WireWriter.GetVarUInt32Size((uint)utf8Bytes) + utf8Bytes;

    public static void Write(ref WireWriter writer, Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        WriteValue(ref writer, value, 0);
    }

    public static Value Read(ref WireReader reader) => ReadValue(ref reader, 0);

    // ---- size ----

    private static long SizeOf(Value value, int depth)
    {
        switch (value)
        {
            case NoneValue: return 1;
            case BooleanValue: return 2;
            case CountValue: case IntegerValue: case RealValue: case TimespanValue: case TimestampValue:
                return 1 + 8;
            case StringValue s:
                return 1 + (s.TryGetUtf8(out var utf8) ? GetStringSize(utf8.Length) : GetStringSize(s.Value));
            case EnumValue e: return 1 + GetStringSize(e.Name);
            case AddressValue a: return 1 + AddressSize(a.Address);
            case SubnetValue n:
                CheckPrefix(n.Network, n.PrefixLength);
                return 1 + AddressSize(n.Network) + 1;
            case PortValue p:
                CheckProtocol(p.Protocol);
                return 1 + 2 + 1;
            case VectorValue v: return 1 + ItemsSize(v.Items, EnterContainer(depth));
            case SetValue s: return 1 + ItemsSize(s.Items, EnterContainer(depth));
            case TableValue t:
            {
                int inner = EnterContainer(depth);
                var entries = t.Entries.IsDefault ? [] : t.Entries;
                long size = 1 + WireWriter.GetVarUInt32Size((uint)entries.Length);
                foreach (var entry in entries)
                    size += SizeOf(NotNull(entry.Key), inner) + SizeOf(NotNull(entry.Value), inner);
                return size;
            }
            case null: throw new ArgumentNullException(nameof(value), "a container holds a null value");
            default: throw new ArgumentException($"unsupported value type {value.GetType().Name}", nameof(value));
        }
    }

    private static long ItemsSize(ImmutableArray<Value> items, int depth)
    {
        if (items.IsDefault) items = [];
        long size = WireWriter.GetVarUInt32Size((uint)items.Length);
        foreach (var item in items) size += SizeOf(NotNull(item), depth);
        return size;
    }

    private static int AddressSize(IPAddress address) => 1 + AddressByteCount(address);

    private static int AddressByteCount(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => 4,
        AddressFamily.InterNetworkV6 => 16,
        _ => throw new ArgumentException($"unsupported address family {address.AddressFamily}"),
    };

    // ---- write ----

    private static void WriteValue(ref WireWriter writer, Value value, int depth)
    {
        switch (value)
        {
            case NoneValue:
                writer.WriteByte((byte)ValueKind.None);
                break;
            case BooleanValue b:
                writer.WriteByte((byte)ValueKind.Boolean);
                writer.WriteByte(b.Value ? (byte)1 : (byte)0);
                break;
            case CountValue c:
                writer.WriteByte((byte)ValueKind.Count);
                writer.WriteUInt64(c.Value);
                break;
            case IntegerValue i:
                writer.WriteByte((byte)ValueKind.Integer);
                writer.WriteInt64(i.Value);
                break;
            case RealValue r:
                writer.WriteByte((byte)ValueKind.Real);
                writer.WriteDouble(r.Value);
                break;
            case TimespanValue ts:
                writer.WriteByte((byte)ValueKind.Timespan);
                writer.WriteInt64(ts.Nanoseconds);
                break;
            case TimestampValue tp:
                writer.WriteByte((byte)ValueKind.Timestamp);
                writer.WriteInt64(tp.NanosecondsSinceEpoch);
                break;
            case StringValue s:
                writer.WriteByte((byte)ValueKind.String);
                if (s.TryGetUtf8(out var utf8)) writer.WriteString(utf8);
                else writer.WriteString(s.Value);
                break;
            case EnumValue e:
                writer.WriteByte((byte)ValueKind.EnumValue);
                writer.WriteString(e.Name);
                break;
            case AddressValue a:
                writer.WriteByte((byte)ValueKind.Address);
                WriteAddress(ref writer, a.Address);
                break;
            case SubnetValue n:
                CheckPrefix(n.Network, n.PrefixLength);
                writer.WriteByte((byte)ValueKind.Subnet);
                WriteAddress(ref writer, n.Network);
                writer.WriteByte(n.PrefixLength);
                break;
            case PortValue p:
                CheckProtocol(p.Protocol);
                writer.WriteByte((byte)ValueKind.Port);
                writer.WriteUInt16(p.Number);
                writer.WriteByte((byte)p.Protocol);
                break;
            case VectorValue v:
                writer.WriteByte((byte)ValueKind.Vector);
                WriteItems(ref writer, v.Items, EnterContainer(depth));
                break;
            case SetValue s:
                writer.WriteByte((byte)ValueKind.Set);
                WriteItems(ref writer, s.Items, EnterContainer(depth));
                break;
            case TableValue t:
            {
                int inner = EnterContainer(depth);
                var entries = t.Entries.IsDefault ? [] : t.Entries;
                writer.WriteByte((byte)ValueKind.Table);
                writer.WriteVarUInt32((uint)entries.Length);
                foreach (var entry in entries)
                {
                    WriteValue(ref writer, NotNull(entry.Key), inner);
                    WriteValue(ref writer, NotNull(entry.Value), inner);
                }
                break;
            }
            case null: throw new ArgumentNullException(nameof(value), "a container holds a null value");
            default: throw new ArgumentException($"unsupported value type {value.GetType().Name}", nameof(value));
        }
    }

    private static void WriteItems(ref WireWriter writer, ImmutableArray<Value> items, int depth)
    {
        if (items.IsDefault) items = [];
        writer.WriteVarUInt32((uint)items.Length);
        foreach (var item in items) WriteValue(ref writer, NotNull(item), depth);
    }

    private static void WriteAddress(ref WireWriter writer, IPAddress address)
    {
        int count = AddressByteCount(address);
        writer.WriteByte(count == 4 ? FamilyV4 : FamilyV6);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written) || written != count)
            throw new ArgumentException($"could not serialize address {address}");
        writer.WriteBytes(bytes.Slice(0, count));
    }

    private static int EnterContainer(int depth)
    {
        int inner = depth + 1;
        if (inner > MaxNestingDepth)
            throw new ArgumentException($"value nesting deeper than {MaxNestingDepth} levels");
        return inner;
    }

    private static void CheckPrefix(IPAddress network, byte prefixLength)
    {
        int max = AddressByteCount(network) * 8;
        if (prefixLength > max)
            throw new ArgumentException($"subnet prefix length {prefixLength} exceeds {max} for {network}");
    }

    private static void CheckProtocol(PortProtocol protocol)
    {
        if ((byte)protocol > (byte)PortProtocol.Icmp)
            throw new ArgumentException($"undefined port protocol {(byte)protocol}");
    }

    private static Value NotNull(Value? value) =>
        value ?? throw new ArgumentNullException(nameof(value), "a container holds a null value");

    // ---- read ----

    private static Value ReadValue(ref WireReader reader, int depth)
    {
        int offset = reader.Position;
        byte tag = reader.ReadByte();
        switch ((ValueKind)tag)
        {
            case ValueKind.None:
                return NoneValue.Instance;
            case ValueKind.Boolean:
            {
                int at = reader.Position;
                return reader.ReadByte() switch
                {
                    0 => BooleanValue.False,
                    1 => BooleanValue.True,
                    var other => throw new WireFormatException($"invalid boolean byte 0x{other:x2} at offset {at}"),
                };
            }
            case ValueKind.Count:
                return new CountValue(reader.ReadUInt64());
            case ValueKind.Integer:
                return new IntegerValue(reader.ReadInt64());
            case ValueKind.Real:
                return new RealValue(reader.ReadDouble());
            case ValueKind.Timespan:
                return new TimespanValue(reader.ReadInt64());
            case ValueKind.Timestamp:
                return new TimestampValue(reader.ReadInt64());
            case ValueKind.String:
                // A message's own ASCII value stays bytes until read (StringValue); strings inside containers are
                // decoded, as the containers' order and hashing read them.
                return depth == 0 ? reader.ReadMessageString() : new StringValue(reader.ReadString());
            case ValueKind.EnumValue:
                return new EnumValue(reader.ReadString());
            case ValueKind.Address:
                return new AddressValue(ReadAddress(ref reader));
            case ValueKind.Subnet:
            {
                var network = ReadAddress(ref reader);
                int at = reader.Position;
                byte prefix = reader.ReadByte();
                int max = network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
                if (prefix > max)
                    throw new WireFormatException($"subnet prefix length {prefix} exceeds {max} at offset {at}");
                return new SubnetValue(network, prefix); // masked to its prefix, as Broker does
            }
            case ValueKind.Port:
            {
                ushort number = reader.ReadUInt16();
                int at = reader.Position;
                byte protocol = reader.ReadByte();
                if (protocol > (byte)PortProtocol.Icmp)
                    throw new WireFormatException($"invalid port protocol {protocol} at offset {at}");
                return new PortValue(number, (PortProtocol)protocol);
            }
            case ValueKind.Vector:
                return new VectorValue(ReadItems(ref reader, EnterContainerOnRead(depth, offset)));
            case ValueKind.Set:
            {
                // Broker's decoder refuses a repeated element too; order is restored, not required.
                var items = ReadItems(ref reader, EnterContainerOnRead(depth, offset));
                if (!SetValue.TryCreate(items, out var set, out int duplicate))
                    throw new WireFormatException($"set at offset {offset} holds a duplicate element at index {duplicate}");
                return set;
            }
            case ValueKind.Table:
            {
                int inner = EnterContainerOnRead(depth, offset);
                int count = ReadCount(ref reader, minBytesPerElement: 2);
                var builder = ImmutableArray.CreateBuilder<KeyValuePair<Value, Value>>(count);
                for (int i = 0; i < count; i++)
                {
                    var key = ReadValue(ref reader, inner);
                    var val = ReadValue(ref reader, inner);
                    builder.Add(new KeyValuePair<Value, Value>(key, val));
                }
                if (!TableValue.TryCreate(builder.MoveToImmutable(), out var table, out int duplicate))
                    throw new WireFormatException($"table at offset {offset} holds a duplicate key at entry {duplicate}");
                return table;
            }
            default:
                throw new WireFormatException($"unknown value type tag 0x{tag:x2} at offset {offset}");
        }
    }

    private static ImmutableArray<Value> ReadItems(ref WireReader reader, int depth)
    {
        int count = ReadCount(ref reader, minBytesPerElement: 1);
        var builder = ImmutableArray.CreateBuilder<Value>(count);
        for (int i = 0; i < count; i++) builder.Add(ReadValue(ref reader, depth));
        return builder.MoveToImmutable();
    }

    /// <summary>Reads a container element count and rejects one the remaining bytes cannot possibly hold
    /// (every value is at least one byte), before anything is allocated for it.</summary>
    private static int ReadCount(ref WireReader reader, int minBytesPerElement)
    {
        int at = reader.Position;
        uint count = reader.ReadVarUInt32();
        if ((ulong)count * (ulong)minBytesPerElement > (ulong)reader.Remaining)
            throw new WireFormatException(
                $"container at offset {at} declares {count} elements, only {reader.Remaining} bytes left");
        return (int)count;
    }

    private static IPAddress ReadAddress(ref WireReader reader)
    {
        int at = reader.Position;
        byte family = reader.ReadByte();
        int length = family switch
        {
            FamilyV4 => 4,
            FamilyV6 => 16,
            _ => throw new WireFormatException($"invalid address family {family} at offset {at} (expected 4 or 6)"),
        };
        return new IPAddress(reader.ReadBytes(length));
    }

    private static int EnterContainerOnRead(int depth, int offset)
    {
        int inner = depth + 1;
        if (inner > MaxNestingDepth)
            throw new WireFormatException($"value nesting deeper than {MaxNestingDepth} levels at offset {offset}");
        return inner;
    }
}
