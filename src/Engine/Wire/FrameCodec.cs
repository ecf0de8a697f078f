using System.Buffers.Binary;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;

namespace Spillway.Engine.Wire;

/// <summary>
/// Encodes and decodes whole frames: <c>u32 length | u8 type | body</c> (docs/wire-format.md).
/// A data frame is sized exactly, then written once into the one array that every buffer shares.
/// </summary>
internal static class FrameCodec
{
    public const ushort ProtocolVersion = 1;
    public const int LengthPrefixSize = 4;
    public const int DefaultMaxFrameSize = EndpointOptions.DefaultMaxFrameSize;
    private static ReadOnlySpan<byte> Magic => "SPWY"u8;

    public static byte[] EncodeData(string topic, Value value) => EncodeData(topic, value, DataFrameSize(topic, value));

    /// <summary>A data frame of <paramref name="size"/> bytes, as <see cref="DataFrameSize"/> gave for the same message.</summary>
    public static byte[] EncodeData(string topic, Value value, int size)
    {
        var frame = new byte[size];
        WriteData(frame, topic, value);
        return frame;
    }

    /// <summary>
    /// Bytes of the data frame for <paramref name="topic"/> and <paramref name="value"/>, length prefix included. Throws
    /// <see cref="ArgumentException"/> for a value that cannot be encoded, so whatever passes here encodes without fail.
    /// </summary>
    public static int DataFrameSize(string topic, Value value) =>
        LengthPrefixSize + 1 + ValueCodec.GetStringSize(topic) + ValueCodec.GetEncodedSize(value);

    /// <summary>Writes the data frame into <paramref name="frame"/>, which <see cref="DataFrameSize"/> sized exactly.</summary>
    public static void WriteData(Span<byte> frame, string topic, Value value)
    {
        var writer = new WireWriter(frame);
        writer.WriteUInt32((uint)(frame.Length - LengthPrefixSize));
        writer.WriteByte((byte)FrameType.Data);
        writer.WriteString(topic);
        ValueCodec.Write(ref writer, value);
    }

    /// <summary>A heartbeat frame: type 4, empty body. One shared instance; frames are never written into.</summary>
    public static readonly byte[] Heartbeat = [0, 0, 0, 1, (byte)FrameType.Heartbeat];

    public static byte[] EncodeHello(EndpointId id, IReadOnlyCollection<string> subscriptions) =>
        EncodeWithSubscriptions(FrameType.Hello, id, subscriptions);

    public static byte[] EncodeSubscriptions(IReadOnlyCollection<string> subscriptions) =>
        EncodeWithSubscriptions(FrameType.Subscriptions, null, subscriptions);

    private static byte[] EncodeWithSubscriptions(FrameType type, EndpointId? id, IReadOnlyCollection<string> subscriptions)
    {
        var bodySize = (id is null ? 0 : Magic.Length + 2 + 16) + 5;
        foreach (var s in subscriptions) bodySize += ValueCodec.GetStringSize(s);
        var scratch = new byte[LengthPrefixSize + 1 + bodySize];
        var writer = new WireWriter(scratch);
        writer.WriteUInt32(0); // patched below once the varint's real size is known
        writer.WriteByte((byte)type);
        if (id is { } endpoint)
        {
            writer.WriteBytes(Magic);
            writer.WriteUInt16(ProtocolVersion);
            Span<byte> guid = stackalloc byte[16];
            endpoint.Value.TryWriteBytes(guid, bigEndian: true, out _);
            writer.WriteBytes(guid);
        }
        writer.WriteVarUInt32((uint)subscriptions.Count);
        foreach (var s in subscriptions) writer.WriteString(s);
        var length = writer.Written;
        BinaryPrimitives.WriteUInt32BigEndian(scratch, (uint)(length - LengthPrefixSize));
        return length == scratch.Length ? scratch : scratch.AsSpan(0, length).ToArray();
    }

    /// <summary>Reads the declared length of the frame starting at <paramref name="buffer"/>, validating it.</summary>
    public static int ReadDeclaredLength(ReadOnlySpan<byte> buffer, int maxFrameSize)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(buffer);
        if (length == 0) throw new WireFormatException("empty frame (declared length 0)");
        if (length > (uint)maxFrameSize)
            throw new WireFormatException($"frame of {length} bytes exceeds the maximum frame size of {maxFrameSize} bytes");
        return (int)length;
    }

    /// <summary>Decodes a hello frame body (after the type byte).</summary>
    public static HelloFrame DecodeHello(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        if (reader.Remaining < Magic.Length || !reader.ReadBytes(Magic.Length).SequenceEqual(Magic))
            throw new WireFormatException("not a Spillway peer (bad handshake magic)");
        var version = reader.ReadUInt16();
        if (version != ProtocolVersion)
            throw new WireFormatException($"unsupported protocol version {version} (this node speaks version {ProtocolVersion})");
        var id = new EndpointId(new Guid(reader.ReadBytes(16), bigEndian: true));
        var subscriptions = ReadSubscriptionList(ref reader);
        ExpectEnd(ref reader, "hello");
        return new HelloFrame(version, id, subscriptions);
    }

    public static string[] DecodeSubscriptions(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        var subscriptions = ReadSubscriptionList(ref reader);
        ExpectEnd(ref reader, "subscriptions");
        return subscriptions;
    }

    /// <summary>Decodes a data frame body; <paramref name="topics"/> (one per peering, used by its read loop only) spares decoding a topic seen lately.</summary>
    public static (string Topic, Value Value) DecodeData(ReadOnlySpan<byte> body, TopicCache? topics = null)
    {
        var reader = new WireReader(body);
        var topic = topics is null ? reader.ReadString() : reader.ReadTopic(topics);
        var value = ValueCodec.Read(ref reader);
        ExpectEnd(ref reader, "data");
        return (topic, value);
    }

    private static string[] ReadSubscriptionList(ref WireReader reader)
    {
        var count = reader.ReadVarUInt32();
        if (count > (uint)reader.Remaining)
            throw new WireFormatException($"subscription count {count} exceeds the frame's remaining {reader.Remaining} bytes");
        var list = new string[count];
        for (var i = 0; i < list.Length; i++) list[i] = reader.ReadString();
        return list;
    }

    private static void ExpectEnd(ref WireReader reader, string what)
    {
        if (!reader.IsAtEnd)
            throw new WireFormatException($"{reader.Remaining} unexpected trailing bytes after the {what} frame");
    }
}
