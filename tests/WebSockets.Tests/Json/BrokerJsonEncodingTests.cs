using System.Net;
using Spillway.Engine.Data;
using Spillway.WebSockets.Json;
using static Spillway.WebSockets.Tests.Json.JsonTestMessages;

namespace Spillway.WebSockets.Tests.Json;

/// <summary>Exact JSON text produced, and exact values decoded from hand-written JSON.</summary>
public class BrokerJsonEncodingTests
{
    [Fact]
    public void CountDataMessageHasTheExactDocumentedShape()
    {
        var json = Text(BrokerJson.EncodeDataMessage("/a", new CountValue(1)));

        Assert.Equal("{\"type\":\"data-message\",\"topic\":\"/a\",\"@data-type\":\"count\",\"data\":1}", json);
    }

    [Fact]
    public void AckHasTheExactDocumentedShape()
    {
        var endpoint = EndpointId.Parse("01234567-89ab-cdef-0123-456789abcdef");

        var json = Text(BrokerJson.EncodeAck(endpoint, "0.1.0"));

        Assert.Equal(
            "{\"type\":\"ack\",\"endpoint\":\"01234567-89ab-cdef-0123-456789abcdef\",\"version\":\"0.1.0\"}", json);
    }

    [Fact]
    public void ErrorHasTheExactDocumentedShapeAndEscapesTheContext()
    {
        var json = Text(BrokerJson.EncodeError(BrokerJson.DeserializationFailed, "unknown @data-type 'foo' \"x\""));

        Assert.Equal("deserialization_failed", BrokerJson.DeserializationFailed);
        Assert.Equal(
            "{\"type\":\"error\",\"code\":\"deserialization_failed\",\"context\":\"unknown @data-type 'foo' \\\"x\\\"\"}",
            json);
    }

    public static TheoryData<string, string> ExactValueJson() => new()
    {
        { "none", "{\"@data-type\":\"none\",\"data\":{}}" },
        { "true", "{\"@data-type\":\"boolean\",\"data\":true}" },
        { "integer", "{\"@data-type\":\"integer\",\"data\":-42}" },
        { "real", "{\"@data-type\":\"real\",\"data\":1.5}" },
        { "real integral", "{\"@data-type\":\"real\",\"data\":42.0}" },
        { "timespan", "{\"@data-type\":\"timespan\",\"data\":\"1500ms\"}" },
        { "timestamp", "{\"@data-type\":\"timestamp\",\"data\":\"2022-04-10T07:00:00.000\"}" },
        { "string", "{\"@data-type\":\"string\",\"data\":\"h\\\"i\"}" },
        { "enum", "{\"@data-type\":\"enum-value\",\"data\":\"Log::WRITER_ASCII\"}" },
        { "address", "{\"@data-type\":\"address\",\"data\":\"2001:db8::1\"}" },
        { "subnet", "{\"@data-type\":\"subnet\",\"data\":\"10.0.0.0/8\"}" },
        { "port", "{\"@data-type\":\"port\",\"data\":\"80/tcp\"}" },
        { "port unknown", "{\"@data-type\":\"port\",\"data\":\"0/?\"}" },
        { "vector", "{\"@data-type\":\"vector\",\"data\":[{\"@data-type\":\"count\",\"data\":1},{\"@data-type\":\"string\",\"data\":\"a\"}]}" },
        { "set", "{\"@data-type\":\"set\",\"data\":[{\"@data-type\":\"count\",\"data\":2}]}" },
        { "table", "{\"@data-type\":\"table\",\"data\":[{\"key\":{\"@data-type\":\"string\",\"data\":\"a\"},\"value\":{\"@data-type\":\"count\",\"data\":1}}]}" },
    };

    private static readonly Dictionary<string, Value> ExactValues = new()
    {
        ["none"] = NoneValue.Instance,
        ["true"] = BooleanValue.True,
        ["integer"] = new IntegerValue(-42),
        ["real"] = new RealValue(1.5),
        ["real integral"] = new RealValue(42),
        ["timespan"] = new TimespanValue(1_500_000_000),
        ["timestamp"] = new TimestampValue(1_649_574_000_000_000_000),
        ["string"] = new StringValue("h\"i"),
        ["enum"] = new EnumValue("Log::WRITER_ASCII"),
        ["address"] = new AddressValue(IPAddress.Parse("2001:db8::1")),
        ["subnet"] = new SubnetValue(IPAddress.Parse("10.0.0.0"), 8),
        ["port"] = new PortValue(80, PortProtocol.Tcp),
        ["port unknown"] = new PortValue(0, PortProtocol.Unknown),
        ["vector"] = new VectorValue(new CountValue(1), new StringValue("a")),
        ["set"] = new SetValue(new CountValue(2)),
        ["table"] = new TableValue(KeyValuePair.Create<Value, Value>(new StringValue("a"), new CountValue(1))),
    };

    [Theory]
    [MemberData(nameof(ExactValueJson))]
    public void ValueEncodesToExactJsonAndDecodesFromIt(string name, string valueJson)
    {
        var value = ExactValues[name];

        Assert.Equal("{\"type\":\"data-message\",\"topic\":\"/t\"," + valueJson[1..], Text(BrokerJson.EncodeDataMessage("/t", value)));
        Assert.Equal(value, BrokerJson.ParseValue(Utf8(valueJson)));
    }

    [Fact]
    public void ParseDataMessageReadsTheDocumentedExample()
    {
        var (topic, value) = BrokerJson.ParseDataMessage(
            "{\"type\":\"data-message\",\"topic\":\"/foo/bar\",\"@data-type\":\"count\",\"data\":1}"u8);

        Assert.Equal("/foo/bar", topic);
        Assert.Equal(new CountValue(1), value);
    }

    [Fact]
    public void MemberOrderAndWhitespaceDoNotMatter()
    {
        var (topic, value) = BrokerJson.ParseDataMessage(
            " { \"data\" : 5 , \"@data-type\" : \"integer\" , \"topic\" : \"x\" , \"type\" : \"data-message\" } "u8);

        Assert.Equal("x", topic);
        Assert.Equal(new IntegerValue(5), value);
    }

    [Fact]
    public void NoneAcceptsNullAsWellAsEmptyObject()
    {
        Assert.Same(NoneValue.Instance, BrokerJson.ParseDataMessage(DataMessage("none", "null")).Value);
        Assert.Same(NoneValue.Instance, BrokerJson.ParseDataMessage(DataMessage("none", "{}")).Value);
    }

    [Fact]
    public void RealAcceptsIntegerAndExponentNotation()
    {
        Assert.Equal(new RealValue(2.0), BrokerJson.ParseDataMessage(DataMessage("real", "2")).Value);
        Assert.Equal(new RealValue(-1250.0), BrokerJson.ParseDataMessage(DataMessage("real", "-1.25e3")).Value);
    }

    [Fact]
    public void CountAndIntegerAcceptTheirFullRange()
    {
        Assert.Equal(new CountValue(18446744073709551615), BrokerJson.ParseDataMessage(DataMessage("count", "18446744073709551615")).Value);
        Assert.Equal(new CountValue(0), BrokerJson.ParseDataMessage(DataMessage("count", "0")).Value);
        Assert.Equal(new IntegerValue(long.MinValue), BrokerJson.ParseDataMessage(DataMessage("integer", "-9223372036854775808")).Value);
        Assert.Equal(new IntegerValue(0), BrokerJson.ParseDataMessage(DataMessage("integer", "-0")).Value);
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "1ns")]
    [InlineData(-3L, "-3ns")]
    [InlineData(1500L, "1500ns")]
    [InlineData(2000L, "2us")]
    [InlineData(1_500_000_000L, "1500ms")]
    [InlineData(3_000_000_000L, "3s")]
    [InlineData(60_000_000_000L, "60s")]
    [InlineData(5_400_000_000_000L, "5400s")]
    [InlineData(7_200_000_000_000L, "7200s")]
    [InlineData(86_400_000_000_000L, "86400s")]
    [InlineData(-172_800_000_000_000L, "-172800s")]
    [InlineData(long.MaxValue, "9223372036854775807ns")]
    [InlineData(long.MinValue, "-9223372036854775808ns")]
    public void TimespanUsesTheLargestExactUnitBrokerWrites(long nanoseconds, string expected)
    {
        var json = Text(BrokerJson.EncodeDataMessage("/t", new TimespanValue(nanoseconds)));

        Assert.Equal($"{{\"type\":\"data-message\",\"topic\":\"/t\",\"@data-type\":\"timespan\",\"data\":\"{expected}\"}}", json);
    }

    [Theory]
    [InlineData("1500ms", 1_500_000_000L)]
    [InlineData("-2min", -120_000_000_000L)]
    [InlineData("1d", 86_400_000_000_000L)]
    [InlineData("3h", 10_800_000_000_000L)]
    [InlineData("0s", 0L)]
    [InlineData("007us", 7_000L)]
    [InlineData("42ns", 42L)]
    [InlineData("106751d", 9_223_286_400_000_000_000L)]
    [InlineData("9223372036854775807ns", long.MaxValue)]
    [InlineData("-9223372036854775808ns", long.MinValue)]
    public void TimespanParsesEveryUnit(string text, long expectedNanoseconds)
    {
        var value = BrokerJson.ParseDataMessage(DataMessage("timespan", $"\"{text}\"")).Value;

        Assert.Equal(new TimespanValue(expectedNanoseconds), value);
    }

    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00.000")]
    [InlineData(1_649_574_000_000_000_000L, "2022-04-10T07:00:00.000")]
    [InlineData(1_649_574_000_123_000_000L, "2022-04-10T07:00:00.123")]
    [InlineData(1_649_574_000_123_456_000L, "2022-04-10T07:00:00.123456")]
    [InlineData(1_649_574_000_123_456_789L, "2022-04-10T07:00:00.123456789")]
    [InlineData(-1L, "1969-12-31T23:59:59.999999999")]
    [InlineData(-1_000_000L, "1969-12-31T23:59:59.999")]
    [InlineData(long.MaxValue, "2262-04-11T23:47:16.854775807")]
    [InlineData(long.MinValue, "1677-09-21T00:12:43.145224192")]
    public void TimestampIsIso8601WithMillisecondsOrFinerWhenNeeded(long nanoseconds, string expected)
    {
        var json = Text(BrokerJson.EncodeDataMessage("/t", new TimestampValue(nanoseconds)));

        Assert.Equal($"{{\"type\":\"data-message\",\"topic\":\"/t\",\"@data-type\":\"timestamp\",\"data\":\"{expected}\"}}", json);
    }

    [Theory]
    [InlineData("2022-04-10T07:00:00.000", 1_649_574_000_000_000_000L)]
    [InlineData("2022-04-10T07:00:00", 1_649_574_000_000_000_000L)]
    [InlineData("2022-04-10T07:00:00Z", 1_649_574_000_000_000_000L)]
    [InlineData("2022-04-10T07:00:00.5", 1_649_574_000_500_000_000L)]
    [InlineData("2022-04-10T07:00:00.123456789Z", 1_649_574_000_123_456_789L)]
    [InlineData("1969-12-31T23:59:59.999999999", -1L)]
    [InlineData("2024-02-29T23:59:59.000", 1_709_251_199_000_000_000L)]
    [InlineData("2262-04-11T23:47:16.854775807", long.MaxValue)]
    [InlineData("2022-04-10T09:00:00+02:00", 1_649_574_000_000_000_000L)]
    [InlineData("2022-04-10T05:00:00-0200", 1_649_574_000_000_000_000L)]
    [InlineData("2022-04-10T09:00:00+02", 1_649_574_000_000_000_000L)]
    [InlineData("2022-04-10T07:00:00+00:00", 1_649_574_000_000_000_000L)]
    [InlineData("2022-04-10T12:30:00.123456789+05:30", 1_649_574_000_123_456_789L)]
    [InlineData("2022-04-09T23:59:59.5-07:00", 1_649_573_999_500_000_000L)]
    [InlineData("1970-01-01T00:00:00+01:00", -3_600_000_000_000L)]
    public void TimestampParsesAsUtc(string text, long expectedNanoseconds)
    {
        var value = BrokerJson.ParseDataMessage(DataMessage("timestamp", $"\"{text}\"")).Value;

        Assert.Equal(new TimestampValue(expectedNanoseconds), value);
    }

    [Theory]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("::", "::")]
    [InlineData("2001:DB8:0:0:0:0:0:1", "2001:db8::1")]
    [InlineData("::ffff:1.2.3.4", "1.2.3.4")]
    [InlineData("::FFFF:c0a8:1", "192.168.0.1")]
    [InlineData("fe80::1%3", "fe80::1")]
    public void AddressParsesStrictFormsAndPrintsCanonically(string text, string canonical)
    {
        var value = BrokerJson.ParseDataMessage(DataMessage("address", $"\"{text}\"")).Value;

        Assert.Equal(new AddressValue(IPAddress.Parse(canonical)), value);
        Assert.Equal(
            $"{{\"type\":\"data-message\",\"topic\":\"/t\",\"@data-type\":\"address\",\"data\":\"{canonical}\"}}",
            Text(BrokerJson.EncodeDataMessage("/t", value)));
    }

    [Theory]
    [InlineData("192.168.1.77/24", "192.168.1.0/24")]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("10.1.2.3/32", "10.1.2.3/32")]
    [InlineData("2001:db8::1/32", "2001:db8::/32")]
    [InlineData("::ffff:192.168.1.77/120", "192.168.1.0/24")]
    public void SubnetIsMaskedToItsPrefix(string text, string canonical)
    {
        var value = BrokerJson.ParseDataMessage(DataMessage("subnet", $"\"{text}\"")).Value;

        Assert.Equal(
            $"{{\"type\":\"data-message\",\"topic\":\"/t\",\"@data-type\":\"subnet\",\"data\":\"{canonical}\"}}",
            Text(BrokerJson.EncodeDataMessage("/t", value)));
    }

    [Theory]
    [InlineData(42.0, "42.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(-7.0, "-7.0")]
    [InlineData(1.5, "1.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e16, "10000000000000000.0")]
    [InlineData(1e300, "1E+300")]
    [InlineData(123456789012345.0, "123456789012345.0")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(double.MaxValue, "1.7976931348623157E+308")]
    [InlineData(double.Epsilon, "5E-324")]
    public void RealIsAlwaysAJsonDouble(double real, string expected)
    {
        Assert.Equal(
            $"{{\"type\":\"data-message\",\"topic\":\"/t\",\"@data-type\":\"real\",\"data\":{expected}}}",
            Text(BrokerJson.EncodeDataMessage("/t", new RealValue(real))));
    }

    [Fact]
    public void SetsAndTablesAreWrittenInBrokersOrder()
    {
        var (_, set) = BrokerJson.ParseDataMessage(DataMessage("set",
            "[{\"@data-type\":\"string\",\"data\":\"b\"},{\"@data-type\":\"count\",\"data\":2},{\"@data-type\":\"string\",\"data\":\"a\"}]"));
        Assert.Equal(
            "{\"type\":\"data-message\",\"topic\":\"/t\",\"@data-type\":\"set\",\"data\":[{\"@data-type\":\"count\",\"data\":2},{\"@data-type\":\"string\",\"data\":\"a\"},{\"@data-type\":\"string\",\"data\":\"b\"}]}",
            Text(BrokerJson.EncodeDataMessage("/t", set)));

        var table = new TableValue(
            KeyValuePair.Create<Value, Value>(new StringValue("z"), new CountValue(1)),
            KeyValuePair.Create<Value, Value>(new IntegerValue(-1), new CountValue(2)));
        Assert.Equal(
            "{\"type\":\"data-message\",\"topic\":\"/t\",\"@data-type\":\"table\",\"data\":[{\"key\":{\"@data-type\":\"integer\",\"data\":-1},\"value\":{\"@data-type\":\"count\",\"data\":2}},{\"key\":{\"@data-type\":\"string\",\"data\":\"z\"},\"value\":{\"@data-type\":\"count\",\"data\":1}}]}",
            Text(BrokerJson.EncodeDataMessage("/t", table)));
    }

    [Fact]
    public void DataMessageWithoutTypeIsADataMessage()
    {
        var (topic, value) = BrokerJson.ParseDataMessage("{\"topic\":\"/a\",\"@data-type\":\"count\",\"data\":1}"u8);

        Assert.Equal("/a", topic);
        Assert.Equal(new CountValue(1), value);
    }

    [Fact]
    public void ExtraMembersOfAValueObjectAreIgnored()
    {
        var value = BrokerJson.ParseValue("{\"@data-type\":\"count\",\"data\":3,\"comment\":[1,2]}"u8);

        Assert.Equal(new CountValue(3), value);
    }

    [Fact]
    public void SubscriptionsAreReadInOrder()
    {
        Assert.Equal(["/foo", "", "/bar/é"], BrokerJson.ParseSubscriptions("[\"/foo\",\"\",\"/bar/\\u00e9\"]"u8));
        Assert.Empty(BrokerJson.ParseSubscriptions("[]"u8));
        Assert.Empty(BrokerJson.ParseSubscriptions(" [ ] "u8));
    }
}
