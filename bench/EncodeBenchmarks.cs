using BenchmarkDotNet.Attributes;
using Spillway.Engine.Data;
using Spillway.Engine.Wire;

namespace Spillway.Bench;

/// <summary>
/// Publish-side cost of one data frame (topic + string value), as <c>Publish</c> encodes it once for every peering:
/// <see cref="Encode"/> (size the frame, then write each string in one pass) against <see cref="CountTwiceThenEncode"/>,
/// the BASELINE: the earlier writer, which counted each string's UTF-8 bytes again to write its length prefix before
/// encoding it (three passes over each string instead of two). Both allocate the one frame a publish shares. Same
/// payloads as <see cref="DecodeBenchmarks"/>.
/// </summary>
[Config(typeof(ShortJobConfig))]
[MemoryDiagnoser]
public class EncodeBenchmarks
{
    private const string Topic = "zeek/logs/conn";

    [ParamsSource(nameof(Payloads))]
    public string Payload { get; set; } = "";

    public static IEnumerable<string> Payloads => StringPayloads.Names;

    private Value _value = Value.None;
    private string _text = "";

    [GlobalSetup]
    public void Setup()
    {
        _text = StringPayloads.Text(Payload);
        _value = Value.Of(_text);
        if (!CountTwiceThenEncode().AsSpan().SequenceEqual(Encode()))
            throw new InvalidOperationException("the baseline does not encode the same frame");
    }

    [Benchmark(Baseline = true)]
    public byte[] CountTwiceThenEncode()
    {
        // BASELINE: size the frame, then for each string count its bytes again, write the prefix, encode.
        var body = ValueCodec.GetStringSize(Topic) + 1 + ValueCodec.GetStringSize(_text);
        var frame = new byte[FrameCodec.LengthPrefixSize + 1 + body];
        var header = new WireWriter(frame);
        header.WriteUInt32((uint)(1 + body));
        header.WriteByte((byte)FrameType.Data);
        var at = WriteCountingFirst(frame, header.Written, Topic);
        frame[at++] = (byte)ValueKind.String;
        WriteCountingFirst(frame, at, _text);
        return frame;
    }

    [Benchmark]
    public byte[] Encode() => FrameCodec.EncodeData(Topic, _value);

    private static int WriteCountingFirst(byte[] frame, int at, string s)
    {
        var count = WireWriter.StrictUtf8.GetByteCount(s);
        var prefix = new WireWriter(frame.AsSpan(at));
        prefix.WriteVarUInt32((uint)count);
        at += prefix.Written;
        return at + WireWriter.StrictUtf8.GetBytes(s, frame.AsSpan(at, count));
    }
}
