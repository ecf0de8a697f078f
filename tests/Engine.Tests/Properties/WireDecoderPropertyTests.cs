using System.Net;
using CsCheck;
using Spillway.Engine.Data;
using Spillway.Engine.Wire;
using static Spillway.Engine.Tests.Wire.WireValues;

namespace Spillway.Engine.Tests.Properties;

/// <summary>
/// Random and mutated frames into the wire decoder: it decodes or throws <see cref="WireFormatException"/>,
/// never anything else (which would be an unhandled failure of the peering's read loop). A hang would
/// stall the test run (test.sh bounds it). Short in CI; <c>SPILLWAY_PROPERTY_ITERATIONS=1000000</c> for
/// the long run.
/// </summary>
public class WireDecoderPropertyTests
{
    private static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("SPILLWAY_PROPERTY_ITERATIONS"), out var n) ? n : 3_000;

    private static readonly Gen<string> Text = Gen.Char['\0', '\uD7FF'].Array[0, 6].Select(chars => new string(chars));

    private static readonly Gen<Value> Scalar = Gen.OneOf<Value>(
        Gen.Const(Value.None),
        Gen.Bool.Select(Value.Of),
        Gen.ULong.Select(v => (Value)new CountValue(v)),
        Gen.Long.Select(v => (Value)new IntegerValue(v)),
        Gen.Double.Select(v => (Value)new RealValue(v)),
        Gen.Long.Select(v => (Value)new TimespanValue(v)),
        Gen.Long.Select(v => (Value)new TimestampValue(v)),
        Text.Select(s => (Value)new StringValue(s)),
        Text.Select(s => (Value)new EnumValue(s)),
        Gen.Byte.Array[4].Select(b => (Value)new AddressValue(new IPAddress(b))),
        Gen.Byte.Array[16].Select(b => (Value)new AddressValue(new IPAddress(b))),
        Gen.Select(Gen.Byte.Array[4], Gen.Byte[0, 32], (b, p) => (Value)new SubnetValue(new IPAddress(b), p)),
        Gen.Select(Gen.Byte.Array[16], Gen.Byte[0, 128], (b, p) => (Value)new SubnetValue(new IPAddress(b), p)),
        Gen.Select(Gen.UShort, Gen.Byte[0, 3], (port, protocol) => (Value)new PortValue(port, (PortProtocol)protocol)));

    /// <summary>Any value, containers nested up to <paramref name="depth"/> levels.</summary>
    internal static Gen<Value> Values(int depth)
    {
        if (depth == 0) return Scalar;
        var inner = Values(depth - 1);
        return Gen.Frequency(
            (4, Scalar),
            (1, inner.Array[0, 4].Select(items => (Value)new VectorValue(items))),
            (1, inner.Array[0, 4].Select(items => (Value)new SetValue(items.Distinct().ToArray()))),
            (1, Gen.Select(inner, inner).Array[0, 4].Select(entries => (Value)new TableValue(
                entries.DistinctBy(e => e.Item1).Select(e => KeyValuePair.Create(e.Item1, e.Item2)).ToArray()))));
    }

    /// <summary>Decodes a value; true if it decoded, false if cleanly rejected; anything else escapes and fails.</summary>
    private static bool DecodeValue(byte[] bytes)
    {
        try
        {
            var reader = new WireReader(bytes);
            ValueCodec.Read(ref reader);
            return true;
        }
        catch (WireFormatException)
        {
            return false;
        }
    }

    /// <summary>Decodes a whole frame as a peering's reader does (length, type, body).</summary>
    private static void DecodeFrame(byte[] frame)
    {
        try
        {
            if (frame.Length < FrameCodec.LengthPrefixSize) return; // the reader waits for more bytes
            int length = FrameCodec.ReadDeclaredLength(frame, FrameCodec.DefaultMaxFrameSize);
            if (frame.Length - FrameCodec.LengthPrefixSize < length) return;
            var body = frame.AsSpan(FrameCodec.LengthPrefixSize + 1, length - 1);
            switch ((FrameType)frame[FrameCodec.LengthPrefixSize])
            {
                case FrameType.Hello: FrameCodec.DecodeHello(body); break;
                case FrameType.Subscriptions: FrameCodec.DecodeSubscriptions(body); break;
                case FrameType.Data: FrameCodec.DecodeData(body); break;
            }
        }
        catch (WireFormatException)
        {
        }
    }

    /// <summary>One of: flip a byte, cut the tail, drop a byte, insert a byte, overwrite with a type tag or a large varint.</summary>
    private static readonly Gen<Func<byte[], byte[]>> Mutation = Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Byte,
        (kind, at, b) => (Func<byte[], byte[]>)(bytes =>
        {
            if (bytes.Length == 0) return [b];
            int i = at % bytes.Length;
            var copy = bytes.ToList();
            switch (kind)
            {
                case 0: copy[i] ^= (byte)(b | 1); break;
                case 1: copy.RemoveRange(i, copy.Count - i); break;
                case 2: copy.RemoveAt(i); break;
                case 3: copy.Insert(i, b); break;
                case 4: copy[i] = (byte)(b % 16); break;
                default: copy.InsertRange(i, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]); break;
            }
            return copy.ToArray();
        }));

    [Fact]
    public void Random_bytes_decode_or_are_rejected_cleanly()
    {
        Gen.Byte.Array[0, 48].Sample(bytes => { DecodeValue(bytes); }, iter: Iterations);
        Gen.Byte.Array[0, 48].Sample(DecodeFrame, iter: Iterations);
    }

    [Fact]
    public void Every_value_round_trips_to_an_equal_value_and_the_same_bytes()
    {
        Values(3).Sample(value =>
        {
            var bytes = Encode(value);
            var reader = new WireReader(bytes);
            var decoded = ValueCodec.Read(ref reader);
            Assert.True(reader.IsAtEnd);
            Assert.Equal(value, decoded);
            Assert.Equal(value.GetHashCode(), decoded.GetHashCode());
            Assert.Equal(bytes, Encode(decoded));
        }, iter: Iterations);
    }

    [Fact]
    public void Mutated_values_decode_or_are_rejected_cleanly_and_what_decodes_reencodes()
    {
        Gen.Select(Values(3), Mutation, Mutation).Sample((value, first, second) =>
        {
            var bytes = second(first(Encode(value)));
            try
            {
                var reader = new WireReader(bytes);
                var decoded = ValueCodec.Read(ref reader);
                // Whatever decodes is a valid value: it encodes again, canonically, to bytes that decode equal.
                var again = Encode(decoded);
                var back = new WireReader(again);
                Assert.Equal(decoded, ValueCodec.Read(ref back));
            }
            catch (WireFormatException)
            {
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Mutated_frames_decode_or_are_rejected_cleanly()
    {
        var frames = Gen.OneOf(
            Gen.Select(Text, Values(2), (topic, value) => FrameCodec.EncodeData(topic, value)),
            Text.Array[0, 4].Select(s => FrameCodec.EncodeSubscriptions(s)),
            Text.Array[0, 4].Select(s => FrameCodec.EncodeHello(EndpointId.NewRandom(), s)));
        Gen.Select(frames, Mutation, Mutation).Sample((frame, first, second) => DecodeFrame(second(first(frame))), iter: Iterations);
    }
}
