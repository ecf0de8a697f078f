using System.Text;
using System.Text.Unicode;
using BenchmarkDotNet.Attributes;
using Spillway.Engine.Data;
using Spillway.Engine.Wire;

namespace Spillway.Bench;

/// <summary>
/// Receive-side cost of one data frame (topic + string value), as a peering's read loop decodes it. The BASELINE,
/// <see cref="ValidateThenTranscode"/>, is the first decoder (validate the UTF-8, then count and transcode it, three
/// passes; the topic decoded and allocated every time). <see cref="DecodeToText"/> is the one before a message's ASCII
/// string stayed bytes (the peering's topic cache; ASCII checked and widened, other text validated and transcoded in
/// one pass). <see cref="Decode"/> is today's, for a subscriber that reads the text (ASCII copied as bytes and widened
/// when read; other text as before), and <see cref="DecodeUnread"/> for one that does not (a node forwarding to
/// WebSocket clients, a counter). 64 B and 1 KiB ASCII payloads (the quick set's shapes) and a 1 KiB payload of
/// French text with euro signs (two- and three-byte sequences between ASCII).
/// </summary>
[Config(typeof(ShortJobConfig))]
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    [ParamsSource(nameof(Payloads))]
    public string Payload { get; set; } = "";

    public static IEnumerable<string> Payloads => StringPayloads.Names;

    private byte[] _body = [];
    private readonly TopicCache _topics = new();

    [GlobalSetup]
    public void Setup()
    {
        var text = StringPayloads.Text(Payload);
        _body = FrameCodec.EncodeData("zeek/logs/conn", Value.Of(text))[(FrameCodec.LengthPrefixSize + 1)..];
    }

    [Benchmark(Baseline = true)]
    public int ValidateThenTranscode()
    {
        // BASELINE: the earlier WireReader.ReadString (validate, then count and transcode), for the topic and the string value.
        var reader = new WireReader(_body);
        var topic = ReadString(ref reader);
        if (reader.ReadByte() != (byte)ValueKind.String) throw new InvalidOperationException("not a string value");
        var value = new StringValue(ReadString(ref reader));
        return topic.Length + value.Value.Length;
    }

    [Benchmark]
    public int DecodeToText()
    {
        var reader = new WireReader(_body);
        var topic = reader.ReadTopic(_topics);
        if (reader.ReadByte() != (byte)ValueKind.String) throw new InvalidOperationException("not a string value");
        var value = new StringValue(reader.ReadString());
        return topic.Length + value.Value.Length;
    }

    [Benchmark]
    public int Decode()
    {
        var (topic, value) = FrameCodec.DecodeData(_body, _topics);
        return topic.Length + ((StringValue)value).Value.Length;
    }

    [Benchmark]
    public int DecodeUnread()
    {
        var (topic, value) = FrameCodec.DecodeData(_body, _topics);
        return topic.Length + (int)value.Kind;
    }

    private static string ReadString(ref WireReader reader)
    {
        var bytes = reader.ReadBytes((int)reader.ReadVarUInt32());
        if (!Utf8.IsValid(bytes)) throw new InvalidOperationException("invalid UTF-8");
        return Encoding.UTF8.GetString(bytes);
    }
}
