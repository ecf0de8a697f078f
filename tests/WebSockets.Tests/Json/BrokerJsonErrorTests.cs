using Spillway.Engine.Data;
using Spillway.WebSockets.Json;
using static Spillway.WebSockets.Tests.Json.JsonTestMessages;

namespace Spillway.WebSockets.Tests.Json;

/// <summary>Every malformed input is a <see cref="BrokerJsonException"/> whose message names the problem.</summary>
public class BrokerJsonErrorTests
{
    private static string DataError(string dataType, string dataJson) =>
        Assert.Throws<BrokerJsonException>(() => BrokerJson.ParseDataMessage(DataMessage(dataType, dataJson))).Message;

    private static string MessageError(string json) =>
        Assert.Throws<BrokerJsonException>(() => BrokerJson.ParseDataMessage(Utf8(json))).Message;

    // ---- not JSON / wrong message shape ------------------------------------------------------

    [Theory]
    [InlineData("hello")]
    [InlineData("")]
    [InlineData("{\"type\":\"data-message\",")]
    [InlineData("{} {}")]
    [InlineData("{'type':'data-message'}")]
    public void NonJsonDataMessageIsMalformedJson(string text)
    {
        Assert.StartsWith("malformed JSON: ", MessageError(text));
    }

    [Fact]
    public void DuplicateMembersAreMalformedJson()
    {
        var message = MessageError("{\"type\":\"data-message\",\"topic\":\"/a\",\"topic\":\"/b\",\"@data-type\":\"count\",\"data\":1}");

        Assert.StartsWith("malformed JSON: Duplicate property 'topic'", message);
    }

    [Fact]
    public void InvalidUtf8IsRejected()
    {
        byte[] json = [.. Utf8("{\"type\":\"data-message\",\"topic\":\"/a\",\"@data-type\":\"string\",\"data\":\""), 0xFF, .. Utf8("\"}")];

        var message = Assert.Throws<BrokerJsonException>(() => BrokerJson.ParseDataMessage(json)).Message;

        Assert.Equal("string is not valid UTF-8 text", message);
    }

    [Theory]
    [InlineData("[1]", "message must be a JSON object, got an array")]
    [InlineData("\"data-message\"", "message must be a JSON object, got a string")]
    [InlineData("{\"type\":1,\"topic\":\"/a\"}", "message \"type\" must be a string, got a number")]
    [InlineData("{\"type\":\"ack\",\"topic\":\"/a\"}", "unexpected message type 'ack' (expected 'data-message')")]
    [InlineData("{\"type\":\"data-message\",\"@data-type\":\"count\",\"data\":1}", "data message lacks \"topic\"")]
    [InlineData("{\"type\":\"data-message\",\"topic\":null,\"@data-type\":\"count\",\"data\":1}", "data message \"topic\" must be a string, got null")]
    [InlineData("{\"type\":\"data-message\",\"topic\":\"/a\",\"data\":1}", "value lacks \"@data-type\"")]
    [InlineData("{\"type\":\"data-message\",\"topic\":\"/a\",\"@data-type\":\"count\"}", "value of @data-type 'count' lacks \"data\"")]
    [InlineData("{\"type\":\"data-message\",\"topic\":\"/a\",\"@data-type\":7,\"data\":1}", "\"@data-type\" must be a string, got a number")]
    [InlineData("{\"type\":\"data-message\",\"topic\":\"/a\",\"@data-type\":\"foo\",\"data\":1}", "unknown @data-type 'foo'")]
    [InlineData("{\"type\":\"data-message\",\"topic\":\"/a\",\"@data-type\":\"Count\",\"data\":1}", "unknown @data-type 'Count'")]
    [InlineData("{\"type\":\"data-message\",\"topic\":\"/a\",\"@data-type\":\"\\u0066oo\",\"data\":1}", "unknown @data-type 'foo'")]
    [InlineData("{\"type\":\"data-message\",\"topic\":\"/a\",\"@data-type\":\"\",\"data\":1}", "unknown @data-type ''")]
    public void MalformedMessageNamesTheProblem(string json, string expected)
    {
        Assert.Equal(expected, MessageError(json));
    }

    [Theory]
    [InlineData("\\u0063ount", "1", ValueKind.Count)]
    [InlineData("int\\u0065ger", "-7", ValueKind.Integer)]
    [InlineData("\\u0073\\u0065t", "[]", ValueKind.Set)]
    public void TypeNameWrittenWithEscapesIsReadAsItsText(string typeName, string data, ValueKind expected)
    {
        var (_, value) = BrokerJson.ParseDataMessage(Utf8($"{{\"topic\":\"/a\",\"@data-type\":\"{typeName}\",\"data\":{data}}}"));

        Assert.Equal(expected, value.Kind);
    }

    [Fact]
    public void ErrorContextFitsIntoTheErrorMessage()
    {
        var context = MessageError("{\"type\":\"data-message\",\"topic\":\"/a\",\"@data-type\":\"foo\",\"data\":1}");

        Assert.Equal(
            "{\"type\":\"error\",\"code\":\"deserialization_failed\",\"context\":\"unknown @data-type 'foo'\"}",
            Text(BrokerJson.EncodeError(BrokerJson.DeserializationFailed, context)));
    }

    [Fact]
    public void VeryLongInputIsShortenedInTheContext()
    {
        var name = new string('x', 1000);

        var message = DataError("address", $"\"{name}\"");

        Assert.Equal($"malformed address '{new string('x', 64)}…' (1000 characters)", message);
    }

    // ---- subscriptions ---------------------------------------------------------------------------

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[\"a\"")]
    public void NonJsonFirstMessageIsRejected(string text)
    {
        var message = Assert.Throws<BrokerJsonException>(() => BrokerJson.ParseSubscriptions(Utf8(text))).Message;

        Assert.StartsWith("first message must be a JSON array of topic strings; malformed JSON: ", message);
    }

    [Theory]
    [InlineData("{\"topics\":[]}", "first message must be a JSON array of topic strings, got an object")]
    [InlineData("\"/a\"", "first message must be a JSON array of topic strings, got a string")]
    [InlineData("null", "first message must be a JSON array of topic strings, got null")]
    [InlineData("[\"/a\",1]", "first message must be a JSON array of topic strings; element 1 is a number")]
    [InlineData("[[\"/a\"]]", "first message must be a JSON array of topic strings; element 0 is an array")]
    [InlineData("[null]", "first message must be a JSON array of topic strings; element 0 is null")]
    public void FirstMessageMustBeAnArrayOfStrings(string json, string expected)
    {
        var message = Assert.Throws<BrokerJsonException>(() => BrokerJson.ParseSubscriptions(Utf8(json))).Message;

        Assert.Equal(expected, message);
    }

    // ---- scalars -----------------------------------------------------------------------------

    [Theory]
    [InlineData("1.0", "count value must be an unsigned integer without a decimal point: 1.0")]
    [InlineData("1.5", "count value must be an unsigned integer without a decimal point: 1.5")]
    [InlineData("1e3", "count value must be an unsigned integer without an exponent: 1e3")]
    [InlineData("-1", "count value must not be negative: -1")]
    [InlineData("-0", "count value must not be negative: -0")]
    [InlineData("18446744073709551616", "count value does not fit in an unsigned 64-bit integer: 18446744073709551616")]
    [InlineData("\"1\"", "count value must be a JSON number, got string '1'")]
    [InlineData("null", "count value must be a JSON number, got null")]
    public void MalformedCountIsRejected(string data, string expected)
    {
        Assert.Equal(expected, DataError("count", data));
    }

    [Theory]
    [InlineData("1.0", "integer value must be an integer without a decimal point: 1.0")]
    [InlineData("-1.5", "integer value must be an integer without a decimal point: -1.5")]
    [InlineData("2E2", "integer value must be an integer without an exponent: 2E2")]
    [InlineData("9223372036854775808", "integer value does not fit in a signed 64-bit integer: 9223372036854775808")]
    [InlineData("true", "integer value must be a JSON number, got true")]
    public void MalformedIntegerIsRejected(string data, string expected)
    {
        Assert.Equal(expected, DataError("integer", data));
    }

    [Theory]
    [InlineData("boolean", "1", "boolean value must be true or false, got number 1")]
    [InlineData("boolean", "\"true\"", "boolean value must be true or false, got string 'true'")]
    [InlineData("real", "\"1.5\"", "real value must be a JSON number, got string '1.5'")]
    [InlineData("real", "1e400", "real value out of range: 1e400")]
    [InlineData("none", "0", "none value must be {} or null, got number 0")]
    [InlineData("none", "{\"a\":1}", "none value must be {} or null, got an object")]
    [InlineData("string", "1", "string value must be a JSON string, got number 1")]
    [InlineData("enum-value", "null", "enum-value value must be a JSON string, got null")]
    [InlineData("address", "16909060", "address value must be a JSON string, got number 16909060")]
    public void WrongJsonKindForTheDataTypeIsRejected(string dataType, string data, string expected)
    {
        Assert.Equal(expected, DataError(dataType, data));
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("1")]
    [InlineData("0x7f.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("127.1")]
    [InlineData("01.2.3.4")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1.2.3.4/8")]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("::1::2")]
    [InlineData("[::1]")]
    [InlineData("[::1]:80")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("::ffff:1.2.3")]
    [InlineData("fe80::1%eth0")]
    [InlineData("gggg::1")]
    public void MalformedAddressIsRejected(string text)
    {
        Assert.Equal($"malformed address '{text}'", DataError("address", $"\"{text}\""));
    }

    [Theory]
    [InlineData("10.0.0.0/33", "malformed subnet '10.0.0.0/33': prefix length 33 exceeds 32 for an IPv4 address")]
    [InlineData("::/129", "malformed subnet '::/129': prefix length 129 exceeds 128 for an IPv6 address")]
    [InlineData("10.0.0/8", "malformed subnet '10.0.0/8': malformed address '10.0.0'")]
    [InlineData("10.0.0.0", "malformed subnet '10.0.0.0': expected <address>/<length>")]
    [InlineData("10.0.0.0/", "malformed subnet '10.0.0.0/': prefix length must be a decimal number")]
    [InlineData("10.0.0.0/-1", "malformed subnet '10.0.0.0/-1': prefix length must be a decimal number")]
    [InlineData("10.0.0.0/8/8", "malformed subnet '10.0.0.0/8/8': malformed address '10.0.0.0/8'")]
    [InlineData("10.0.0.0/0008", "malformed subnet '10.0.0.0/0008': prefix length must be a decimal number")]
    public void MalformedSubnetIsRejected(string text, string expected)
    {
        Assert.Equal(expected, DataError("subnet", $"\"{text}\""));
    }

    [Theory]
    [InlineData("80", "malformed port '80': expected <number>/<tcp|udp|icmp|?>")]
    [InlineData("80/sctp", "malformed port '80/sctp': protocol must be tcp, udp, icmp or ?")]
    [InlineData("80/TCP", "malformed port '80/TCP': protocol must be tcp, udp, icmp or ?")]
    [InlineData("80/tcp/udp", "malformed port '80/tcp/udp': protocol must be tcp, udp, icmp or ?")]
    [InlineData("65536/tcp", "malformed port '65536/tcp': port number must be a decimal number 0..65535")]
    [InlineData("-1/tcp", "malformed port '-1/tcp': port number must be a decimal number 0..65535")]
    [InlineData("/tcp", "malformed port '/tcp': port number must be a decimal number 0..65535")]
    [InlineData(" 80/tcp", "malformed port ' 80/tcp': port number must be a decimal number 0..65535")]
    public void MalformedPortIsRejected(string text, string expected)
    {
        Assert.Equal(expected, DataError("port", $"\"{text}\""));
    }

    [Theory]
    [InlineData("15", "malformed timespan '15': unit must be one of ns, us, ms, s, min, h, d")]
    [InlineData("15 ms", "malformed timespan '15 ms': unit must be one of ns, us, ms, s, min, h, d")]
    [InlineData("1.5s", "malformed timespan '1.5s': unit must be one of ns, us, ms, s, min, h, d")]
    [InlineData("1sec", "malformed timespan '1sec': unit must be one of ns, us, ms, s, min, h, d")]
    [InlineData("1MS", "malformed timespan '1MS': unit must be one of ns, us, ms, s, min, h, d")]
    [InlineData("ms", "malformed timespan 'ms': expected <integer><ns|us|ms|s|min|h|d>")]
    [InlineData("+1s", "malformed timespan '+1s': expected <integer><ns|us|ms|s|min|h|d>")]
    [InlineData("--1s", "malformed timespan '--1s': expected <integer><ns|us|ms|s|min|h|d>")]
    [InlineData("", "malformed timespan '': expected <integer><ns|us|ms|s|min|h|d>")]
    [InlineData("106752d", "timespan '106752d' is out of range")]
    [InlineData("9223372036854775808ns", "timespan '9223372036854775808ns' is out of range")]
    [InlineData("99999999999999999999ns", "timespan '99999999999999999999ns' is out of range")]
    public void MalformedTimespanIsRejected(string text, string expected)
    {
        Assert.Equal(expected, DataError("timespan", $"\"{text}\""));
    }

    [Theory]
    [InlineData("2022-04-10")]
    [InlineData("2022-04-10 07:00:00")]
    [InlineData("2022-04-10t07:00:00")]
    [InlineData("2022-04-10T07:00:00.")]
    [InlineData("2022-04-10T07:00:00.1234567890")]
    [InlineData("2022-04-10T07:00:00ZZ")]
    [InlineData("2022-04-10T07:00:00+1")]
    [InlineData("2022-04-10T07:00:00+01:0")]
    [InlineData("2022-04-10T07:00:00+0100Z")]
    [InlineData("2022-04-10T07:00:00+24:00")]
    [InlineData("2022-04-10T07:00:00+01:60")]
    [InlineData("2022-04-10T07:00:00+01-00")]
    [InlineData("2022-04-10T07:00:00Z+01")]
    [InlineData("2022-04-10T07:00:00.+01")]
    [InlineData("2022-04-10T07:00:00z")]
    [InlineData("2022-4-10T07:00:00")]
    [InlineData("+2022-04-10T07:00:00")]
    [InlineData("1649574000")]
    public void MalformedTimestampIsRejected(string text)
    {
        Assert.Equal(
            $"malformed timestamp '{text}': expected YYYY-MM-DDThh:mm:ss with an optional fraction of up to 9 digits and an optional Z or UTC offset (+hh:mm, +hhmm, +hh)",
            DataError("timestamp", $"\"{text}\""));
    }

    [Theory]
    [InlineData("2022-13-01T00:00:00")]
    [InlineData("2022-00-01T00:00:00")]
    [InlineData("2022-02-29T00:00:00")]
    [InlineData("2022-04-31T00:00:00")]
    [InlineData("2022-04-10T24:00:00")]
    [InlineData("2022-04-10T07:60:00")]
    [InlineData("2022-04-10T07:00:60")]
    [InlineData("0000-01-01T00:00:00")]
    public void TimestampWithAFieldOutOfRangeIsRejected(string text)
    {
        Assert.Equal($"malformed timestamp '{text}': date or time field out of range", DataError("timestamp", $"\"{text}\""));
    }

    [Theory]
    [InlineData("2300-01-01T00:00:00")]
    [InlineData("2262-04-11T23:47:16.854775808")]
    [InlineData("1677-09-21T00:12:43.145224191")]
    public void TimestampOutsideTheNanosecondRangeIsRejected(string text)
    {
        Assert.Equal(
            $"timestamp '{text}' is out of range (nanoseconds since 1970 must fit in 64 bits)",
            DataError("timestamp", $"\"{text}\""));
    }

    // ---- containers ------------------------------------------------------------------------------

    [Theory]
    [InlineData("vector", "{}", "vector value must be a JSON array of values, got an object")]
    [InlineData("set", "\"a\"", "set value must be a JSON array of values, got string 'a'")]
    [InlineData("vector", "[1]", "value must be a JSON object with \"@data-type\" and \"data\", got a number")]
    [InlineData("vector", "[{\"@data-type\":\"count\",\"data\":1.5}]", "count value must be an unsigned integer without a decimal point: 1.5")]
    [InlineData("set", "[{\"@data-type\":\"count\",\"data\":1},{\"@data-type\":\"count\",\"data\":1}]", "set holds a duplicate element at index 1")]
    [InlineData("table", "{}", "table value must be a JSON array of {\"key\":…,\"value\":…} objects, got an object")]
    [InlineData("table", "[[1,2]]", "table entry 0 must be a JSON object with \"key\" and \"value\", got an array")]
    [InlineData("table", "[{\"value\":{\"@data-type\":\"none\",\"data\":{}}}]", "table entry 0 lacks \"key\"")]
    [InlineData("table", "[{\"key\":{\"@data-type\":\"none\",\"data\":{}}}]", "table entry 0 lacks \"value\"")]
    [InlineData("table", "[{\"key\":{\"@data-type\":\"count\",\"data\":1},\"value\":{\"@data-type\":\"none\",\"data\":null}},{\"key\":{\"@data-type\":\"count\",\"data\":1},\"value\":{\"@data-type\":\"none\",\"data\":null}}]", "table holds a duplicate key at entry 1")]
    public void MalformedContainerIsRejected(string dataType, string data, string expected)
    {
        Assert.Equal(expected, DataError(dataType, data));
    }

    [Fact]
    public void VectorsNested33DeepAreRejected()
    {
        Assert.Equal(33, BrokerJson.MaxNestingDepth + 1);

        var message = MessageErrorOf(AsDataMessage(NestedVectorJson(33)));

        Assert.Equal("containers nested deeper than 32 levels", message);
    }

    [Fact]
    public void TablesNested33DeepAreRejected()
    {
        var message = MessageErrorOf(AsDataMessage(NestedTableJson(33)));

        Assert.Equal("containers nested deeper than 32 levels", message);
    }

    [Fact]
    public void ContainersNested32DeepAreAccepted()
    {
        Assert.Equal(NestedVector(32), BrokerJson.ParseDataMessage(AsDataMessage(NestedVectorJson(32))).Value);
        Assert.Equal(NestedTable(32), BrokerJson.ParseDataMessage(AsDataMessage(NestedTableJson(32))).Value);
    }

    [Fact]
    public void VeryDeepJsonIsRejectedByTheParser()
    {
        var message = MessageErrorOf(AsDataMessage(NestedVectorJson(1000)));

        Assert.StartsWith("malformed JSON: The maximum configured depth of 128 has been exceeded", message);
    }

    private static string MessageErrorOf(byte[] json) =>
        Assert.Throws<BrokerJsonException>(() => BrokerJson.ParseDataMessage(json)).Message;

    // ---- encoding ----------------------------------------------------------------------------------

    [Fact]
    public void EncodingContainersNested33DeepIsRejected()
    {
        var message = Assert.Throws<BrokerJsonException>(() => BrokerJson.EncodeDataMessage("/t", NestedVector(33))).Message;

        Assert.Equal("containers nested deeper than 32 levels", message);
    }

    [Theory]
    [InlineData(double.NaN, "real value NaN cannot be represented in JSON")]
    [InlineData(double.PositiveInfinity, "real value Infinity cannot be represented in JSON")]
    [InlineData(double.NegativeInfinity, "real value -Infinity cannot be represented in JSON")]
    public void EncodingANonFiniteRealIsRejected(double real, string expected)
    {
        var message = Assert.Throws<BrokerJsonException>(() => BrokerJson.EncodeDataMessage("/t", new RealValue(real))).Message;

        Assert.Equal(expected, message);
    }
}
