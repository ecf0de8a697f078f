using System.Buffers;
using System.Net;
using System.Text.Json;
using Spillway.Engine.Data;
using Spillway.WebSockets.Json;

namespace Spillway.WebSockets.Tests.Json;

public class BrokerJsonRoundTripTests
{
    private static readonly Dictionary<string, Value> Samples = new()
    {
        ["none"] = NoneValue.Instance,
        ["true"] = BooleanValue.True,
        ["false"] = BooleanValue.False,
        ["count 0"] = new CountValue(0),
        ["count max"] = new CountValue(ulong.MaxValue),
        ["integer -5"] = new IntegerValue(-5),
        ["integer min"] = new IntegerValue(long.MinValue),
        ["integer max"] = new IntegerValue(long.MaxValue),
        ["real 3.25"] = new RealValue(3.25),
        ["real 0.1"] = new RealValue(0.1),
        ["real -1e300"] = new RealValue(-1e300),
        ["real epsilon"] = new RealValue(double.Epsilon),
        ["real 2.0"] = new RealValue(2.0),
        ["timespan 0"] = new TimespanValue(0),
        ["timespan 1500ms"] = new TimespanValue(1_500_000_000),
        ["timespan -3ns"] = new TimespanValue(-3),
        ["timespan 90min"] = new TimespanValue(5_400_000_000_000),
        ["timespan min"] = new TimespanValue(long.MinValue),
        ["timespan max"] = new TimespanValue(long.MaxValue),
        ["timestamp epoch"] = new TimestampValue(0),
        ["timestamp ms"] = new TimestampValue(1_649_574_000_123_000_000),
        ["timestamp us"] = new TimestampValue(1_649_574_000_123_456_000),
        ["timestamp ns"] = new TimestampValue(1_649_574_000_123_456_789),
        ["timestamp before 1970"] = new TimestampValue(-1),
        ["timestamp min"] = new TimestampValue(long.MinValue),
        ["timestamp max"] = new TimestampValue(long.MaxValue),
        ["string empty"] = new StringValue(""),
        ["string escapes"] = new StringValue("quote \" backslash \\ tab \t nul \0 <&'> é 😀"),
        ["enum"] = new EnumValue("Log::WRITER_ASCII"),
        ["address v4"] = new AddressValue(IPAddress.Parse("192.168.0.1")),
        ["address v4 zero"] = new AddressValue(IPAddress.Parse("0.0.0.0")),
        ["address v6"] = new AddressValue(IPAddress.Parse("2001:db8::1")),
        ["address v6 loopback"] = new AddressValue(IPAddress.IPv6Loopback),
        ["address v4-mapped v6"] = new AddressValue(IPAddress.Parse("::ffff:10.0.0.1")),
        ["address v6 scoped"] = new AddressValue(IPAddress.Parse("fe80::1%3")),
        ["subnet v4"] = new SubnetValue(IPAddress.Parse("10.0.0.0"), 8),
        ["subnet v4 /0"] = new SubnetValue(IPAddress.Parse("0.0.0.0"), 0),
        ["subnet v4 /32"] = new SubnetValue(IPAddress.Parse("10.1.2.3"), 32),
        ["subnet v6 /128"] = new SubnetValue(IPAddress.Parse("2001:db8::"), 128),
        ["port tcp"] = new PortValue(80, PortProtocol.Tcp),
        ["port udp"] = new PortValue(53, PortProtocol.Udp),
        ["port icmp"] = new PortValue(8, PortProtocol.Icmp),
        ["port unknown"] = new PortValue(65535, PortProtocol.Unknown),
        ["vector empty"] = new VectorValue(),
        ["vector mixed"] = new VectorValue(new CountValue(1), new StringValue("a"), NoneValue.Instance, new VectorValue()),
        ["set"] = new SetValue(new StringValue("a"), new StringValue("b"), new IntegerValue(1)),
        ["set empty"] = new SetValue(),
        ["table"] = new TableValue(
            KeyValuePair.Create<Value, Value>(new StringValue("a"), new CountValue(1)),
            KeyValuePair.Create<Value, Value>(new AddressValue(IPAddress.Loopback), new SetValue(new PortValue(22, PortProtocol.Tcp)))),
        ["table empty"] = new TableValue(),
        ["nested containers"] = new TableValue(
            KeyValuePair.Create<Value, Value>(
                new VectorValue(new CountValue(1), new CountValue(2)),
                new TableValue(KeyValuePair.Create<Value, Value>(
                    new StringValue("inner"),
                    new VectorValue(new SetValue(new TimespanValue(1000)), new TableValue()))))),
        ["vectors 32 deep"] = JsonTestMessages.NestedVector(BrokerJson.MaxNestingDepth),
        ["tables 32 deep"] = JsonTestMessages.NestedTable(BrokerJson.MaxNestingDepth),
    };

    public static TheoryData<string> SampleNames() => new(Samples.Keys);

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void DataMessageRoundTripsToAnEqualValue(string name)
    {
        var value = Samples[name];

        var (topic, decoded) = BrokerJson.ParseDataMessage(BrokerJson.EncodeDataMessage("/foo/bar", value));

        Assert.Equal("/foo/bar", topic);
        Assert.Equal(value, decoded);
        Assert.Equal(value.Kind, decoded.Kind);
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void ValueObjectRoundTripsThroughWriteValueAndParseValue(string name)
    {
        var value = Samples[name];
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            BrokerJson.WriteValue(writer, value);

        // 32 nested tables need a JSON depth of 97; JsonDocument's default limit is 64.
        using var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = 128 });
        var decoded = BrokerJson.ParseValue(document.RootElement);

        Assert.Equal(value, decoded);
        Assert.Equal(value, BrokerJson.ParseValue(buffer.WrittenSpan));
    }

    [Fact]
    public void EncodingIsStableAcrossARoundTrip()
    {
        var value = Samples["nested containers"];
        var first = BrokerJson.EncodeDataMessage("/a", value);

        var second = BrokerJson.EncodeDataMessage("/a", BrokerJson.ParseDataMessage(first).Value);

        Assert.Equal(JsonTestMessages.Text(first), JsonTestMessages.Text(second));
    }

    [Fact]
    public void UnicodeTopicRoundTrips()
    {
        var (topic, value) = BrokerJson.ParseDataMessage(BrokerJson.EncodeDataMessage("/zeek/é/😀", new CountValue(7)));

        Assert.Equal("/zeek/é/😀", topic);
        Assert.Equal(new CountValue(7), value);
    }
}
