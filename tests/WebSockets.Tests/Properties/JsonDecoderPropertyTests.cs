using System.Text;
using CsCheck;
using Spillway.WebSockets.Json;

namespace Spillway.WebSockets.Tests.Properties;

/// <summary>
/// Random and mutated JSON into the WebSocket JSON decoder: it decodes or throws
/// <see cref="BrokerJsonException"/> (answered with a deserialization_failed error), never anything else,
/// and whatever decodes encodes again and decodes to an equal value. Short in CI;
/// <c>SPILLWAY_PROPERTY_ITERATIONS=1000000</c> for the long run.
/// </summary>
public class JsonDecoderPropertyTests
{
    private static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("SPILLWAY_PROPERTY_ITERATIONS"), out var n) ? n : 3_000;

    private static readonly string[] TypeNames =
    [
        "none", "boolean", "count", "integer", "real", "timespan", "timestamp", "string", "enum-value",
        "address", "subnet", "port", "vector", "set", "table", "Count", "",
    ];

    private static readonly string[] Keys = ["type", "topic", "@data-type", "data", "key", "value", "x", ""];

    // Literals near the edges of what the decoder reads: ranges, spellings, zones, units.
    private static readonly string[] Strings =
    [
        "data-message", "ack", "/t", "", "1.2.3.4", "::ffff:1.2.3.4", "fe80::1%3", "256.0.0.1", "10.0.0.0/8",
        "192.168.1.77/24", "::/129", "80/tcp", "0/?", "65536/udp", "0s", "1500ms", "-9223372036854775808ns",
        "9223372036854775808ns", "1d", "106752d", "1.5s", "2022-04-10T07:00:00.123456789Z", "2022-04-10T09:00:00+02:00",
        "2262-04-11T23:47:16.854775808", "2022-02-29T00:00:00", "2022-04-10T07:00:00+24", "\u00e9\ud83d\ude00", "\\",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "1.5", "1e3", "1E+300", "1e400", "-1e400", "18446744073709551615", "18446744073709551616",
        "-9223372036854775808", "-9223372036854775809", "0.1", "5e-324", "42.0",
    ];

    private static Gen<string> Json(int depth)
    {
        var scalar = Gen.OneOf(
            Gen.OneOf(Strings).Select(s => System.Text.Json.JsonSerializer.Serialize(s)),
            Gen.OneOf(TypeNames).Select(s => $"\"{s}\""),
            Gen.OneOf(Numbers),
            Gen.OneOf("true", "false", "null", "{}", "[]"));
        if (depth == 0) return scalar;
        var inner = Json(depth - 1);
        var member = Gen.Select(Gen.OneOf(Keys), inner, (k, v) => $"\"{k}\":{v}");
        var typed = Gen.Select(Gen.OneOf(TypeNames), inner, (t, d) => $"{{\"@data-type\":\"{t}\",\"data\":{d}}}");
        return Gen.Frequency(
            (3, scalar),
            (2, typed),
            (1, inner.Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")),
            (1, member.Array[0, 4].Select(members => "{" + string.Join(",", members) + "}")),
            (1, typed.Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(typed, typed).Array[0, 3].Select(entries =>
                "[" + string.Join(",", entries.Select(e => $"{{\"key\":{e.Item1},\"value\":{e.Item2}}}")) + "]")));
    }

    /// <summary>Data messages built from the grammar: usually well formed at the top, anything below.</summary>
    private static readonly Gen<string> Messages = Gen.Select(Gen.OneOf(TypeNames), Json(3), Gen.Bool,
        (type, data, withType) => (withType ? "{\"type\":\"data-message\"," : "{")
            + $"\"topic\":\"/t\",\"@data-type\":\"{type}\",\"data\":{data}}}");

    private static readonly string[] Valid =
    [
        """{"type":"data-message","topic":"/t","@data-type":"table","data":[{"key":{"@data-type":"subnet","data":"10.0.0.0/8"},"value":{"@data-type":"set","data":[{"@data-type":"port","data":"80/tcp"},{"@data-type":"real","data":1.5}]}}]}""",
        """{"type":"data-message","topic":"/t","@data-type":"vector","data":[{"@data-type":"timestamp","data":"2022-04-10T07:00:00.123+02:00"},{"@data-type":"timespan","data":"1500ms"},{"@data-type":"count","data":18446744073709551615}]}""",
        """{"topic":"/t","@data-type":"set","data":[{"@data-type":"address","data":"::ffff:1.2.3.4"},{"@data-type":"integer","data":-5},{"@data-type":"string","data":"h\"i"}]}""",
        """["/a/", "/b", ""]""",
    ];

    private static readonly Gen<Func<string, string>> Mutation = Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue],
        Gen.OneOf('"', '{', '}', '[', ']', ',', ':', '\\', '0', '9', '-', '.', 'e', 'Z', '+', '/', ' ', 'x', '\u00e9'),
        (kind, at, c) => (Func<string, string>)(text =>
        {
            if (text.Length == 0) return c.ToString();
            int i = at % text.Length;
            return kind switch
            {
                0 => text.Remove(i, 1).Insert(i, c.ToString()),
                1 => text.Remove(i, 1),
                2 => text.Insert(i, c.ToString()),
                _ => text[..i],
            };
        }));

    /// <summary>Decodes as the gateway does; a decoded value must encode and decode back to itself.</summary>
    private static void Decode(byte[] utf8)
    {
        try
        {
            BrokerJson.ParseSubscriptions(utf8);
        }
        catch (BrokerJsonException)
        {
        }
        try
        {
            var (topic, value) = BrokerJson.ParseDataMessage(utf8);
            var (againTopic, again) = BrokerJson.ParseDataMessage(BrokerJson.EncodeDataMessage(topic, value));
            Assert.Equal(topic, againTopic);
            Assert.Equal(value, again);
        }
        catch (BrokerJsonException)
        {
        }
    }

    [Fact]
    public void Random_bytes_decode_or_are_rejected_cleanly()
    {
        Gen.Byte.Array[0, 64].Sample(Decode, iter: Iterations);
        Gen.Char.Array[0, 64].Sample(chars => Decode(Encoding.UTF8.GetBytes(chars)), iter: Iterations);
    }

    [Fact]
    public void Random_messages_from_the_grammar_decode_or_are_rejected_cleanly()
    {
        Messages.Sample(text => Decode(Encoding.UTF8.GetBytes(text)), iter: Iterations);
    }

    [Fact]
    public void Mutated_valid_messages_decode_or_are_rejected_cleanly()
    {
        Gen.Select(Gen.OneOf(Valid), Mutation, Mutation, Mutation)
            .Sample((text, a, b, c) => Decode(Encoding.UTF8.GetBytes(c(b(a(text))))), iter: Iterations);
        Gen.Select(Messages, Mutation, Mutation)
            .Sample((text, a, b) => Decode(Encoding.UTF8.GetBytes(b(a(text)))), iter: Iterations);
    }
}
