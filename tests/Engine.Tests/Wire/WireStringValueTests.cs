using System.Text;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Engine.Wire;
using static Spillway.Engine.Tests.Wire.WireValues;

namespace Spillway.Engine.Tests.Wire;

/// <summary>
/// A message's ASCII string value read off the wire stays the bytes it arrived as until someone reads its text; other
/// text is decoded on arrival (<see cref="StringValue"/>). Either must be indistinguishable from the string it encodes,
/// in equality, hashing, re-encoding and weight, and read as exactly that string.
/// </summary>
public class WireStringValueTests
{
    public static TheoryData<string> Texts => new()
    {
        "",
        "ascii",
        "ascii with \" \\ \n \0 \u007f controls",
        "two-byte é and three-byte €",
        "surrogate pairs \U0001F600\U0001F680",
        new string('w', 100_000),
    };

    private static Value Decode(byte[] bytes)
    {
        var reader = new WireReader(bytes);
        return ValueCodec.Read(ref reader);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_string_off_the_wire_equals_hashes_and_reencodes_as_its_text_and_ascii_stays_undecoded(string text)
    {
        var sent = Value.Of(text);
        var bytes = Encode(sent);
        var received = Assert.IsType<StringValue>(Decode(bytes));
        var other = (StringValue)Decode(bytes);
        var undecoded = text.Length > 0 && Ascii.IsValid(text);

        Assert.Equal(undecoded, received.TryGetUtf8(out var utf8));
        if (undecoded)
        {
            Assert.Equal(Encoding.UTF8.GetBytes(text), utf8.ToArray());
            Assert.Null(received.DecodedOrNull);
        }
        else Assert.Equal(text, received.DecodedOrNull);
        // Equal to each other without decoding: compared as bytes.
        Assert.Equal(received, other);
        if (undecoded) Assert.Null(other.DecodedOrNull);
        // Written again straight from the bytes: the same frame, still undecoded.
        Assert.Equal(bytes, Encode(received));
        if (undecoded) Assert.Null(received.DecodedOrNull);

        // Equal to the text both ways, with its hash code, and decoded exactly.
        Assert.Equal<Value>(sent, received);
        Assert.Equal<Value>(received, sent);
        Assert.Equal(sent.GetHashCode(), received.GetHashCode());
        Assert.Equal(text, received.Value);
        Assert.Same(received.Value, received.Value); // decoded once
        Assert.True(received is StringValue(var deconstructed) && deconstructed == text);
        Assert.Contains(received, new HashSet<Value> { sent });
    }

    [Fact]
    public void Non_ascii_text_off_the_wire_is_decoded_on_arrival()
    {
        var received = (StringValue)Decode(Encode(Value.Of("caf\u00e9")));
        Assert.False(received.TryGetUtf8(out _));
        Assert.Equal("caf\u00e9", received.DecodedOrNull);
    }

    [Fact]
    public void A_copy_with_another_text_is_that_text_and_not_the_bytes_it_was_copied_from()
    {
        var received = (StringValue)Decode(Encode(Value.Of("from the wire")));
        var changed = received with { Value = "changed" };
        Assert.False(changed.TryGetUtf8(out _));
        Assert.Equal("changed", changed.Value);
        Assert.Equal(Value.Of("changed"), changed);
        Assert.NotEqual(received, changed);
        Assert.Equal(Encode(Value.Of("changed")), Encode(changed));
    }

    [Fact]
    public void Different_strings_off_the_wire_are_not_equal()
    {
        var a = Decode(Encode(Value.Of("same length a")));
        var b = Decode(Encode(Value.Of("same length b")));
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, Value.Of("same length b"));
        Assert.NotEqual(Value.Of("same length b"), a);
    }

    [Fact]
    public void Strings_inside_containers_are_decoded_when_read()
    {
        var vector = Assert.IsType<VectorValue>(Decode(Encode(new VectorValue(Value.Of("inner")))));
        var inner = Assert.IsType<StringValue>(Assert.Single(vector.Items));
        Assert.False(inner.TryGetUtf8(out _));
        Assert.Equal("inner", inner.DecodedOrNull);
    }

    [Fact]
    public void Invalid_utf8_in_a_message_string_is_refused_when_read()
    {
        // Tag 7 (string), length 3, then a UTF-16 surrogate encoded as UTF-8, which UTF-8 forbids.
        var e = Assert.Throws<WireFormatException>(() => Decode([7, 3, 0xED, 0xA0, 0x80]));
        Assert.Contains("invalid UTF-8", e.Message);
    }

    [Fact]
    public void A_client_message_weighs_the_utf8_and_the_text_once_decoded_before_the_push()
    {
        var text = new string('x', 1000);
        var unread = Decode(Encode(Value.Of(text)));
        var read = (StringValue)Decode(Encode(Value.Of(text)));
        _ = read.Value;
        var asText = ClientMessageWeight.Of(new ClientMessage("t", Value.Of(text), null));
        var asUtf8 = ClientMessageWeight.Of(new ClientMessage("t", unread, null));
        var asBoth = ClientMessageWeight.Of(new ClientMessage("t", read, null));
        // The byte array (24-byte header, a byte per character) in place of the string (22 + two per character).
        Assert.Equal(asText - (22 + 2 * 1000) + (24 + 1000), asUtf8);
        Assert.Equal(asUtf8 + 22 + 2 * 1000, asBoth);
    }
}
