using System.Text;
using Spillway.Engine.Data;
using Spillway.Engine.Tests.Wire;
using Spillway.Engine.Wire;
using static Spillway.Engine.Tests.Wire.WireValues;

namespace Spillway.Engine.Tests.Data;

/// <summary>
/// <see cref="StringValue.FromUtf8"/>: a publisher's encoded text becomes the string it encodes, kept as its bytes when
/// they are ASCII (what peerings then copy onto the wire), decoded when not, and refused when not UTF-8.
/// </summary>
public class StringValueFromUtf8Tests
{
    [Theory]
    // The texts the wire's strings are tested with: every UTF-8 width, controls, empty and long.
    [MemberData(nameof(WireStringValueTests.Texts), MemberType = typeof(WireStringValueTests))]
    public void The_value_is_the_text_the_bytes_encode_and_ascii_stays_bytes(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var value = StringValue.FromUtf8(utf8);
        var ascii = text.Length > 0 && Ascii.IsValid(text);

        Assert.Equal(ascii, value.TryGetUtf8(out var held));
        if (ascii)
        {
            Assert.Equal(utf8, held.ToArray());
            // Sized and encoded from the bytes: the same frame as the text's, with nothing decoded.
            Assert.Equal(Encode(Value.Of(text)), Encode(value));
            Assert.Equal(FrameCodec.DataFrameSize("t", Value.Of(text)), FrameCodec.DataFrameSize("t", value));
            Assert.Null(value.DecodedOrNull);
        }
        Assert.Equal<Value>(Value.Of(text), value);
        Assert.Equal(Value.Of(text).GetHashCode(), value.GetHashCode());
        Assert.Equal(text, value.Value);
    }

    [Fact]
    public void The_bytes_are_copied_so_the_callers_buffer_can_be_reused()
    {
        var buffer = Encoding.ASCII.GetBytes("first message");
        var value = StringValue.FromUtf8(buffer);
        Encoding.ASCII.GetBytes("other message").CopyTo(buffer, 0);
        Assert.Equal("first message", value.Value);
        Assert.Equal(Encode(Value.Of("first message")), Encode(value));
    }

    [Theory]
    [InlineData(new byte[] { 0x80 }, "a lone continuation byte")]
    [InlineData(new byte[] { (byte)'a', 0xC3 }, "a sequence cut short")]
    [InlineData(new byte[] { 0xC0, 0xAF }, "an overlong encoding")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "an encoded surrogate")]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "a code point above U+10FFFF")]
    public void Bytes_that_are_not_utf8_are_refused_naming_the_argument(byte[] bytes, string what)
    {
        var e = Assert.Throws<ArgumentException>(() => StringValue.FromUtf8(bytes));
        Assert.Equal("utf8", e.ParamName);
        Assert.Contains("not well-formed UTF-8", e.Message);
        Assert.NotNull(what);
    }
}
