using System.Text;
using System.Text.Unicode;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Spillway.Engine.Data;
using Spillway.Engine.Wire;

namespace Spillway.Bench;

/// <summary>
/// Receive-side cost of one data frame (topic + string value), as a peering's read loop decodes it: <see cref="Decode"/>
/// (the peering's topic cache; ASCII checked and widened; other text validated and transcoded in one pass), against
/// <see cref="ValidateThenTranscode"/>, the BASELINE: the earlier decoder (validate the UTF-8, then count and transcode
/// it, three passes; the topic decoded and allocated every time). 64 B and 1 KiB ASCII payloads (the quick set's
/// shapes) and a 1 KiB payload of French text with euro signs (two- and three-byte sequences between ASCII).
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() =>
            AddJob(Job.Default.WithId("Short").WithToolchain(BenchProjectGenerator.Toolchain).WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(10));
    }

    [Params("64 B", "1 KiB", "1 KiB non-ASCII")]
    public string Payload { get; set; } = "";

    private byte[] _body = [];
    private readonly TopicCache _topics = new();

    [GlobalSetup]
    public void Setup()
    {
        var text = Payload switch
        {
            "64 B" => new string('x', 64),
            "1 KiB" => new string('x', 1024),
            _ => string.Concat(Enumerable.Repeat("caf\u00e9 \u20ac ", 160))[..1024],
        };
        _body = FrameCodec.EncodeData("zeek/logs/conn", Value.Of(text))[(FrameCodec.LengthPrefixSize + 1)..];
    }

    [Benchmark(Baseline = true)]
    public int ValidateThenTranscode()
    {
        // BASELINE: the earlier WireReader.ReadString, for the topic and the string value (tag 0x07).
        ReadOnlySpan<byte> body = _body;
        var topic = ReadString(ref body);
        if (body[0] != (byte)ValueKind.String) throw new InvalidOperationException("not a string value");
        body = body[1..];
        var value = new StringValue(ReadString(ref body));
        return topic.Length + value.Value.Length;
    }

    [Benchmark]
    public int Decode()
    {
        var (topic, value) = FrameCodec.DecodeData(_body, _topics);
        return topic.Length + ((StringValue)value).Value.Length;
    }

    private static string ReadString(ref ReadOnlySpan<byte> source)
    {
        var length = 0;
        var shift = 0;
        int b;
        var at = 0;
        do
        {
            b = source[at++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while (b >= 0x80);
        var bytes = source.Slice(at, length);
        if (!Utf8.IsValid(bytes)) throw new InvalidOperationException("invalid UTF-8");
        source = source[(at + length)..];
        return Encoding.UTF8.GetString(bytes);
    }
}
