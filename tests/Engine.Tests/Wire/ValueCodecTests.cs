using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Spillway.Engine.Data;
using Spillway.Engine.Wire;
using static Spillway.Engine.Tests.Wire.WireValues;

namespace Spillway.Engine.Tests.Wire;

public class ValueCodecTests
{
    // ---------- helpers ----------

    private static Value Decode(byte[] bytes)
    {
        var reader = new WireReader(bytes);
        var value = ValueCodec.Read(ref reader);
        Assert.True(reader.IsAtEnd, $"reader stopped at {reader.Position} of {bytes.Length}");
        Assert.Equal(0, reader.Remaining);
        return value;
    }

    private static Value RoundTrip(Value value)
    {
        var decoded = Decode(Encode(value));
        Assert.Equal(value, decoded);
        Assert.Equal(value.Kind, decoded.Kind);
        Assert.Equal(value.GetHashCode(), decoded.GetHashCode());
        return decoded;
    }

    private static WireFormatException DecodeFails(params byte[] bytes)
    {
        return Assert.Throws<WireFormatException>(() =>
        {
            var reader = new WireReader(bytes);
            ValueCodec.Read(ref reader);
        });
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    private static KeyValuePair<Value, Value> Kv(Value k, Value v) => new(k, v);

    /// <summary>A value with <paramref name="depth"/> nested vectors around an integer.</summary>
    private static Value Nest(int depth)
    {
        Value v = Value.Of(7L);
        for (int i = 0; i < depth; i++) v = new VectorValue(v);
        return v;
    }

    private static Value Complex() => new TableValue(
        Kv(Value.Of("k"), new VectorValue(Value.Of(1UL), Value.None, new SetValue(Value.Of(true), Value.Of(-3L)))),
        Kv(new VectorValue(Value.Of("a"), Value.Of(2.5)), new AddressValue(IPAddress.Parse("2001:db8::1"))),
        Kv(new SetValue(new PortValue(443, PortProtocol.Tcp)),
            new TableValue(Kv(new EnumValue("Log::WRITER_ASCII"), new SubnetValue(IPAddress.Parse("10.0.0.0"), 8)))),
        Kv(new TimestampValue(1_700_000_000_123_456_789), new TimespanValue(-5)));

    // ---------- round trips with exact bytes ----------

    public static TheoryData<string, Value, string> ExactEncodings => new()
    {
        { "none", Value.None, "00" },
        { "false", Value.Of(false), "01 00" },
        { "true", Value.Of(true), "01 01" },
        { "count 0", Value.Of(0UL), "02 0000000000000000" },
        { "count 0x0102", Value.Of(0x0102UL), "02 0000000000000102" },
        { "count max", Value.Of(ulong.MaxValue), "02 FFFFFFFFFFFFFFFF" },
        { "integer -2", Value.Of(-2L), "03 FFFFFFFFFFFFFFFE" },
        { "integer min", Value.Of(long.MinValue), "03 8000000000000000" },
        { "integer max", Value.Of(long.MaxValue), "03 7FFFFFFFFFFFFFFF" },
        { "real 1.0", Value.Of(1.0), "04 3FF0000000000000" },
        { "real -2.5", Value.Of(-2.5), "04 C004000000000000" },
        { "real +inf", Value.Of(double.PositiveInfinity), "04 7FF0000000000000" },
        { "real -inf", Value.Of(double.NegativeInfinity), "04 FFF0000000000000" },
        { "real max", Value.Of(double.MaxValue), "04 7FEFFFFFFFFFFFFF" },
        { "real epsilon", Value.Of(double.Epsilon), "04 0000000000000001" },
        { "timespan -1ns", new TimespanValue(-1), "05 FFFFFFFFFFFFFFFF" },
        { "timespan 1s", new TimespanValue(1_000_000_000), "05 000000003B9ACA00" },
        { "timestamp epoch", new TimestampValue(0), "06 0000000000000000" },
        { "timestamp min", new TimestampValue(long.MinValue), "06 8000000000000000" },
        { "string empty", Value.Of(""), "07 00" },
        { "string abc", Value.Of("abc"), "07 03 616263" },
        { "string unicode", Value.Of("hé€😀"), "07 0A 68 C3A9 E282AC F09F9880" },
        { "string nul", Value.Of("a\0b"), "07 03 610062" },
        { "enum", new EnumValue("Log::WRITER_ASCII"), "08 11 4C6F673A3A5752495445525F4153434949" },
        { "enum empty", new EnumValue(""), "08 00" },
        { "address v4", new AddressValue(IPAddress.Parse("192.168.0.1")), "09 04 C0A80001" },
        { "address v6", new AddressValue(IPAddress.Parse("2001:db8::ff00:42:8329")), "09 06 20010DB8000000000000FF0000428329" },
        { "address v6 any", new AddressValue(IPAddress.IPv6Any), "09 06 00000000000000000000000000000000" },
        { "address v4-mapped is v4", new AddressValue(IPAddress.Parse("::ffff:10.1.2.3")), "09 04 0A010203" },
        { "subnet v4", new SubnetValue(IPAddress.Parse("10.0.0.0"), 8), "0A 04 0A000000 08" },
        { "subnet v4 /32", new SubnetValue(IPAddress.Parse("10.0.0.1"), 32), "0A 04 0A000001 20" },
        { "subnet v4 /0", new SubnetValue(IPAddress.Parse("0.0.0.0"), 0), "0A 04 00000000 00" },
        { "subnet v6 /128", new SubnetValue(IPAddress.Parse("fe80::1"), 128), "0A 06 FE800000000000000000000000000001 80" },
        { "port tcp", new PortValue(80, PortProtocol.Tcp), "0B 0050 01" },
        { "port udp", new PortValue(53, PortProtocol.Udp), "0B 0035 02" },
        { "port icmp", new PortValue(8, PortProtocol.Icmp), "0B 0008 03" },
        { "port unknown max", new PortValue(65535, PortProtocol.Unknown), "0B FFFF 00" },
        { "vector empty", new VectorValue(), "0C 00" },
        { "vector", new VectorValue(Value.None, Value.Of(true)), "0C 02 00 0101" },
        { "set empty", new SetValue(), "0D 00" },
        { "set in Broker's order", new SetValue(Value.Of("x"), Value.Of(1L)), "0D 02 030000000000000001 070178" },
        { "table in key order", new TableValue(Kv(Value.Of(2UL), Value.None), Kv(Value.Of(1UL), Value.None)), "0E 02 020000000000000001 00 020000000000000002 00" },
        { "subnet masked", new SubnetValue(IPAddress.Parse("192.168.1.77"), 24), "0A 04 C0A80100 18" },
        { "table empty", new TableValue(), "0E 00" },
        { "table", new TableValue(Kv(Value.Of("a"), Value.Of(false))), "0E 01 070161 0100" },
        { "nested", new VectorValue(new VectorValue(new SetValue()), new TableValue()), "0C 02 0C 01 0D 00 0E 00" },
    };

    [Theory]
    [MemberData(nameof(ExactEncodings))]
    public void Encodes_to_exact_bytes_and_round_trips(string name, Value value, string expectedHex)
    {
        var bytes = Encode(value);
        Assert.True(Hex(expectedHex).AsSpan().SequenceEqual(bytes),
            $"{name}: expected {expectedHex.Replace(" ", "")}, got {Convert.ToHexString(bytes)}");
        Assert.Equal(value, RoundTrip(value));
    }

    [Fact]
    public void Every_value_kind_is_covered_by_the_exact_encodings()
    {
        var covered = ExactEncodings.Select(row => ((Value)row[1]).Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<ValueKind>().ToHashSet(), covered);
    }

    [Fact]
    public void Tag_byte_is_the_value_kind()
    {
        foreach (var row in ExactEncodings)
        {
            var value = (Value)row[1];
            Assert.Equal((byte)value.Kind, Encode(value)[0]);
        }
    }

    [Fact]
    public void Nan_round_trips_and_compares_equal()
    {
        Assert.True(double.NaN.Equals(double.NaN)); // record equality uses double.Equals, not ==
        var decoded = (RealValue)RoundTrip(Value.Of(double.NaN));
        Assert.True(double.IsNaN(decoded.Value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.NaN), BitConverter.DoubleToInt64Bits(decoded.Value));
    }

    [Fact]
    public void Negative_zero_keeps_its_sign_bit()
    {
        var bytes = Encode(Value.Of(-0.0));
        Assert.Equal(Hex("04 8000000000000000"), bytes);
        var decoded = (RealValue)Decode(bytes);
        Assert.True(double.IsNegative(decoded.Value));
        Assert.Equal(0.0, decoded.Value);
    }

    [Fact]
    public void Ipv4_mapped_ipv6_address_is_the_ipv4_address()
    {
        var mapped = new AddressValue(IPAddress.Parse("::ffff:192.0.2.1"));
        Assert.Equal(AddressFamily.InterNetwork, mapped.Address.AddressFamily);
        Assert.Equal(new AddressValue(IPAddress.Parse("192.0.2.1")), mapped);
        Assert.Equal(Hex("09 04 C0000201"), Encode(mapped));
        var decoded = (AddressValue)Decode(Hex("09 06 00000000000000000000FFFF C0000201"));
        Assert.Equal(mapped, decoded);
        Assert.Equal(Hex("09 04 C0000201"), Encode(decoded));
    }

    [Fact]
    public void Long_strings_use_multibyte_length()
    {
        var s = new string('x', 300);
        var bytes = Encode(Value.Of(s));
        Assert.Equal(1 + 2 + 300, bytes.Length);
        Assert.Equal(new byte[] { 0x07, 0xAC, 0x02 }, bytes[..3]); // 300 = 0b10_0101100
        Assert.Equal(3 + 300, ValueCodec.GetStringSize(s) + 1);
        RoundTrip(Value.Of(s));
    }

    /// <summary>
    /// The writer encodes a string after room for the length prefix of its char count and moves the bytes up when
    /// its UTF-8 length needs a longer prefix: every case here crosses, or just misses, a prefix boundary.
    /// </summary>
    [Theory]
    [InlineData("x", 127, 127, "7F")]              // one prefix byte, as guessed
    [InlineData("x", 128, 128, "80 01")]           // two, as guessed
    [InlineData("\u00e9", 63, 126, "7E")]          // two bytes each, still one prefix byte
    [InlineData("\u00e9", 64, 128, "80 01")]       // 64 chars guess one prefix byte; 128 bytes need two
    [InlineData("\u20ac", 43, 129, "81 01")]       // three bytes each
    [InlineData("\U0001F600", 32, 128, "80 01")]  // a surrogate pair per emoji: 64 chars, 128 bytes
    [InlineData("\u00e9", 8192, 16384, "80 80 01")] // two prefix bytes guessed, three needed
    public void Strings_whose_utf8_length_needs_a_longer_prefix_than_their_char_count_encode_exactly(string unit, int repeats, int utf8Bytes, string prefixHex)
    {
        var s = string.Concat(Enumerable.Repeat(unit, repeats));
        Assert.Equal(utf8Bytes, Encoding.UTF8.GetByteCount(s));
        var expected = new[] { (byte)ValueKind.String }.Concat(Hex(prefixHex)).Concat(Encoding.UTF8.GetBytes(s)).ToArray();
        Assert.Equal(expected, Encode(Value.Of(s)));
        RoundTrip(Value.Of(s));
        // Moving the bytes up must not touch what is written after them: the same string as a topic, then a value.
        var (topic, value) = FrameCodec.DecodeData(FrameCodec.EncodeData(s, Value.Of(s + "!")).AsSpan(FrameCodec.LengthPrefixSize + 1));
        Assert.Equal((s, Value.Of(s + "!")), (topic, value));
    }

    [Theory]
    [InlineData("", 1)]
    [InlineData("a", 2)]
    [InlineData("é", 3)]
    [InlineData("😀", 5)]
    public void GetStringSize_is_varint_plus_utf8_bytes(string s, int expected)
    {
        Assert.Equal(expected, ValueCodec.GetStringSize(s));
    }

    [Fact]
    public void Nested_containers_several_levels_deep_round_trip()
    {
        var value = Complex();
        var decoded = (TableValue)RoundTrip(value);
        Assert.Equal(4, decoded.Entries.Length);
        Assert.Equal(Encode(value), Encode(decoded));
    }

    [Fact]
    public void Table_with_container_keys_round_trips()
    {
        var value = new TableValue(
            Kv(new VectorValue(Value.Of(1L), Value.Of(2L)), Value.Of("v12")),
            Kv(new SetValue(Value.Of("s")), Value.None),
            Kv(new TableValue(Kv(Value.Of(1UL), Value.Of(2UL))), new VectorValue()));
        var decoded = (TableValue)RoundTrip(value);
        // Broker's order of kinds: set, table, vector.
        Assert.Equal(new SetValue(Value.Of("s")), decoded.Entries[0].Key);
        Assert.Equal(new TableValue(Kv(Value.Of(1UL), Value.Of(2UL))), decoded.Entries[1].Key);
        Assert.Equal(new VectorValue(Value.Of(1L), Value.Of(2L)), decoded.Entries[2].Key);
    }

    [Fact]
    public void Equal_sets_and_tables_encode_to_equal_bytes_in_canonical_order()
    {
        var set1 = new SetValue(Value.Of(1L), Value.Of("b"), Value.None);
        var set2 = new SetValue(Value.None, Value.Of(1L), Value.Of("b"));
        Assert.Equal(set1, set2);
        Assert.Equal(set1.GetHashCode(), set2.GetHashCode());
        Assert.Equal(Hex("0D 03 00 030000000000000001 070162"), Encode(set1));
        Assert.Equal(Encode(set1), Encode(set2));

        var t1 = new TableValue(Kv(Value.Of("a"), Value.Of(1L)), Kv(Value.Of("b"), Value.Of(2L)));
        var t2 = new TableValue(Kv(Value.Of("b"), Value.Of(2L)), Kv(Value.Of("a"), Value.Of(1L)));
        Assert.Equal(t1, t2);
        Assert.Equal(Encode(t1), Encode(t2));
        Assert.NotEqual(new TableValue(Kv(Value.Of("a"), Value.Of(2L)), Kv(Value.Of("b"), Value.Of(1L))), Decode(Encode(t1)));

        var v1 = new VectorValue(Value.Of(1L), Value.Of(2L));
        var v2 = new VectorValue(Value.Of(2L), Value.Of(1L));
        Assert.NotEqual(v1, v2);
        Assert.NotEqual(v2, Decode(Encode(v1)));
    }

    [Fact]
    public void A_set_or_table_out_of_order_on_the_wire_is_read_into_canonical_order()
    {
        var set = (SetValue)Decode(Hex("0D 02 070178 030000000000000001"));
        Assert.Equal([Value.Of(1L), Value.Of("x")], set.Items.ToArray());
        var table = (TableValue)Decode(Hex("0E 02 020000000000000002 00 020000000000000001 0101"));
        Assert.Equal([Value.Of(1UL), Value.Of(2UL)], table.Entries.Select(e => e.Key).ToArray());
        Assert.Equal(Value.Of(true), table.Entries[0].Value);
    }

    [Fact]
    public void A_duplicate_in_a_set_or_table_on_the_wire_is_rejected()
    {
        Assert.Equal("set at offset 0 holds a duplicate element at index 2",
            DecodeFails(Hex("0D 03 0101 0100 0101")).Message);
        Assert.Equal("table at offset 2 holds a duplicate key at entry 1",
            DecodeFails(Hex("0C 01 0E 02 0101 00 0101 00")).Message);
    }

    [Fact]
    public void A_subnet_on_the_wire_is_masked_to_its_prefix()
    {
        Assert.Equal(new SubnetValue(IPAddress.Parse("10.1.0.0"), 16), Decode(Hex("0A 04 0A01FFFF 10")));
        Assert.Equal(Hex("0A 04 0A010000 10"), Encode(Decode(Hex("0A 04 0A01FFFF 10"))));
    }

    [Fact]
    public void Values_concatenated_in_one_buffer_are_read_back_in_sequence()
    {
        Value[] values = [Value.Of(1L), Complex(), Value.Of("tail"), Value.None];
        var buffer = new byte[values.Sum(ValueCodec.GetEncodedSize)];
        var writer = new WireWriter(buffer);
        foreach (var v in values) ValueCodec.Write(ref writer, v);
        Assert.Equal(buffer.Length, writer.Written);

        var reader = new WireReader(buffer);
        foreach (var v in values) Assert.Equal(v, ValueCodec.Read(ref reader));
        Assert.True(reader.IsAtEnd);
    }

    // ---------- nesting depth ----------

    [Fact]
    public void Depth_32_is_accepted()
    {
        var value = Nest(ValueCodec.MaxNestingDepth);
        var bytes = Encode(value);
        Assert.Equal(32 * 2 + 9, bytes.Length);
        RoundTrip(value);
    }

    [Fact]
    public void Depth_33_is_rejected_when_reading()
    {
        // 33 x "vector of one element", then a none.
        var bytes = Enumerable.Repeat(new byte[] { 0x0C, 0x01 }, 33).SelectMany(b => b).Append((byte)0x00).ToArray();
        var ex = DecodeFails(bytes);
        Assert.Contains("value nesting deeper than 32 levels", ex.Message);

        // 32 levels of the same shape is fine.
        var ok = Enumerable.Repeat(new byte[] { 0x0C, 0x01 }, 32).SelectMany(b => b).Append((byte)0x00).ToArray();
        Assert.Equal(32 * 2 + 1, Encode(Decode(ok)).Length);
    }

    [Fact]
    public void Depth_counts_sets_and_table_keys_too()
    {
        Value v = Value.None;
        for (int i = 0; i < 32; i++)
            v = (i % 3) switch
            {
                0 => new SetValue(v),
                1 => new TableValue(Kv(v, Value.None)),
                _ => new VectorValue(v),
            };
        RoundTrip(v);
        var tooDeep = new TableValue(Kv(Value.None, v));
        Assert.Throws<ArgumentException>(() => ValueCodec.GetEncodedSize(tooDeep));

        // Hand-encode the too-deep value so Read sees it: table, 1 entry, key none, then v's bytes.
        var inner = Encode(v);
        var bytes = new byte[] { 0x0E, 0x01, 0x00 }.Concat(inner).ToArray();
        Assert.Contains("nesting deeper than 32", DecodeFails(bytes).Message);
    }

    [Fact]
    public void Depth_33_is_rejected_when_writing()
    {
        var value = Nest(33);
        Assert.Throws<ArgumentException>(() => ValueCodec.GetEncodedSize(value));
        Assert.Throws<ArgumentException>(() =>
        {
            var writer = new WireWriter(new byte[1000]);
            ValueCodec.Write(ref writer, value);
        });
    }

    // ---------- malformed input ----------

    [Fact]
    public void Every_truncation_of_a_nested_value_is_rejected()
    {
        var bytes = Encode(Complex());
        Assert.True(bytes.Length > 100);
        for (int length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            var ex = Assert.Throws<WireFormatException>(() =>
            {
                var reader = new WireReader(prefix);
                ValueCodec.Read(ref reader);
            });
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        }
    }

    [Fact]
    public void Every_truncation_of_each_scalar_is_rejected()
    {
        foreach (var row in ExactEncodings)
        {
            var bytes = Encode((Value)row[1]);
            for (int length = 0; length < bytes.Length; length++)
                DecodeFails(bytes[..length]);
        }
    }

    [Fact]
    public void Truncation_message_names_what_was_needed()
    {
        var ex = DecodeFails(Hex("02 010203"));
        Assert.Equal("truncated frame: needed 8 bytes at offset 1, 3 left", ex.Message);
    }

    [Theory]
    [InlineData((byte)0x0F)]
    [InlineData((byte)0x2A)]
    [InlineData((byte)0xFF)]
    public void Unknown_tag_is_rejected(byte tag)
    {
        var ex = DecodeFails(tag, 0, 0, 0);
        Assert.Contains($"unknown value type tag 0x{tag:x2}", ex.Message);
    }

    [Fact]
    public void Unknown_tag_inside_a_container_is_rejected()
    {
        Assert.Contains("unknown value type tag 0x2a", DecodeFails(Hex("0C 02 00 2A")).Message);
    }

    [Theory]
    [InlineData("01 02")]
    [InlineData("01 FF")]
    public void Boolean_other_than_0_or_1_is_rejected(string hex)
    {
        Assert.Contains("invalid boolean", DecodeFails(Hex(hex)).Message);
    }

    [Theory]
    [InlineData("07 01 FF")]             // invalid byte
    [InlineData("07 01 80")]             // lone continuation byte
    [InlineData("07 02 C0 80")]          // overlong NUL
    [InlineData("07 03 ED A0 80")]       // UTF-16 surrogate encoded in UTF-8
    [InlineData("07 02 E2 82")]          // truncated sequence inside the declared length
    [InlineData("08 04 F4 90 80 80")]    // code point above U+10FFFF, in an enum
    [InlineData("07 02 61 E9")]          // Latin-1 "a\u00e9" after ASCII
    public void Invalid_utf8_is_rejected(string hex)
    {
        Assert.Contains("invalid UTF-8", DecodeFails(Hex(hex)).Message);
    }

    [Theory]
    [InlineData("07 03 616263", "abc")]                      // ASCII: one char per byte
    [InlineData("07 03 61 C3A9", "a\u00e9")]                 // two-byte sequence after ASCII
    [InlineData("07 07 E282AC F09F9880", "\u20ac\U0001F600")] // three and four bytes (a surrogate pair in UTF-16)
    [InlineData("07 02 007F", "\u0000\u007f")]              // the ASCII range's ends
    public void Strings_decode_to_their_exact_characters(string hex, string expected)
    {
        Assert.Equal(new StringValue(expected), Decode(Hex(hex)));
    }

    [Theory]
    [InlineData(1)]     // decoded on the stack
    [InlineData(128)]   // 256 bytes: the largest decoded on the stack
    [InlineData(129)]   // 258 bytes: decoded in a rented buffer
    [InlineData(5000)]
    [InlineData(32_768)] // 65,536 bytes: the largest decoded in one pass
    [InlineData(32_769)] // 65,538 bytes: validated, then transcoded, with no pooled scratch
    public void Long_non_ascii_strings_decode_exactly_and_one_bad_byte_rejects_them(int repeats)
    {
        var text = string.Concat(Enumerable.Repeat("\u00e9", repeats)); // two bytes each in UTF-8
        Assert.Equal(new StringValue(text), RoundTrip(new StringValue(text)));
        var encoded = Encode(new StringValue(text));
        encoded[^1] = 0xFF; // the last é's continuation byte
        Assert.Contains("invalid UTF-8", DecodeFails(encoded).Message);
    }

    [Theory]
    [InlineData("07 05 6162")]
    [InlineData("07 FFFFFFFF0F 61")]
    public void String_length_beyond_remaining_is_rejected(string hex)
    {
        Assert.Contains("truncated frame", DecodeFails(Hex(hex)).Message);
    }

    [Theory]
    [InlineData("09 05 01020304")]
    [InlineData("09 00 01020304")]
    [InlineData("0A 10 01020304 08")]
    public void Address_family_other_than_4_or_6_is_rejected(string hex)
    {
        Assert.Contains("invalid address family", DecodeFails(Hex(hex)).Message);
    }

    [Theory]
    [InlineData("0A 04 0A000000 21")]
    [InlineData("0A 04 0A000000 FF")]
    [InlineData("0A 06 FE800000000000000000000000000000 81")]
    public void Subnet_prefix_too_long_is_rejected(string hex)
    {
        Assert.Contains("subnet prefix length", DecodeFails(Hex(hex)).Message);
    }

    [Theory]
    [InlineData("0B 0050 04")]
    [InlineData("0B 0050 FF")]
    public void Port_protocol_above_3_is_rejected(string hex)
    {
        Assert.Contains("invalid port protocol", DecodeFails(Hex(hex)).Message);
    }

    [Theory]
    [InlineData("0C FFFFFFFF0F 00")]   // vector claiming 4 billion elements
    [InlineData("0D FFFFFFFF0F")]      // set
    [InlineData("0E FFFFFFFF0F 0000")] // table
    [InlineData("0C 03 0000")]         // 3 elements, 2 bytes left
    [InlineData("0E 02 000000")]       // 2 pairs need at least 4 bytes, 3 left
    public void Container_count_larger_than_remaining_bytes_is_rejected(string hex)
    {
        Assert.Contains("declares", DecodeFails(Hex(hex)).Message);
    }

    [Fact]
    public void Container_count_exactly_fitting_is_accepted()
    {
        Assert.Equal(new VectorValue(Value.None, Value.None, Value.None), Decode(Hex("0C 03 000000")));
        Assert.Equal(new TableValue(Kv(Value.None, Value.None), Kv(Value.Of(false), Value.None)),
            Decode(Hex("0E 02 0000 010000")));
    }

    [Theory]
    [InlineData("0C FFFFFFFF1F")]   // overflows 32 bits
    [InlineData("0C 8080808080")]   // sixth byte announced
    [InlineData("0C 8080")]         // truncated varint
    public void Bad_container_varint_is_rejected(string hex)
    {
        DecodeFails(Hex(hex));
    }

    // ---------- writer-side validation ----------

    [Fact]
    public void Unencodable_values_are_rejected_by_the_sender()
    {
        Assert.Throws<ArgumentException>(() => ValueCodec.GetEncodedSize(new SubnetValue(IPAddress.Parse("10.0.0.0"), 33)));
        Assert.Throws<ArgumentException>(() => ValueCodec.GetEncodedSize(new SubnetValue(IPAddress.IPv6Any, 129)));
        Assert.Throws<ArgumentException>(() => ValueCodec.GetEncodedSize(new PortValue(1, (PortProtocol)4)));
        Assert.ThrowsAny<ArgumentException>(() => ValueCodec.GetEncodedSize(Value.Of("bad \ud800 surrogate")));
        Assert.ThrowsAny<ArgumentException>(() => ValueCodec.GetStringSize("\udc00"));
        Assert.ThrowsAny<ArgumentException>(() => ValueCodec.GetEncodedSize(new VectorValue(ImmutableArray.Create<Value>([null!]))));
    }

    [Fact]
    public void Write_does_not_allocate()
    {
        var value = Complex();
        var buffer = new byte[ValueCodec.GetEncodedSize(value)];
        void WriteOnce()
        {
            var writer = new WireWriter(buffer);
            ValueCodec.Write(ref writer, value);
        }
        for (int i = 0; i < 10; i++) WriteOnce(); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) WriteOnce();
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
    }

    // ---------- WireWriter / WireReader primitives ----------

    [Fact]
    public void Primitives_are_big_endian_and_read_back()
    {
        var buffer = new byte[1 + 2 + 4 + 8 + 8 + 8 + 4 + 4];
        var w = new WireWriter(buffer);
        w.WriteByte(0xAB);
        w.WriteUInt16(0x0102);
        w.WriteUInt32(0x03040506);
        w.WriteUInt64(0x0708090A0B0C0D0E);
        w.WriteInt64(-1);
        w.WriteDouble(1.0);
        w.WriteString("abc");
        w.WriteBytes([0xDE, 0xAD, 0xBE, 0xEF]);
        Assert.Equal(buffer.Length, w.Written);
        Assert.Equal(Hex("AB 0102 03040506 0708090A0B0C0D0E FFFFFFFFFFFFFFFF 3FF0000000000000 03616263 DEADBEEF"), buffer);

        var r = new WireReader(buffer);
        Assert.Equal(0xAB, r.ReadByte());
        Assert.Equal(0x0102, r.ReadUInt16());
        Assert.Equal(0x03040506u, r.ReadUInt32());
        Assert.Equal(0x0708090A0B0C0D0EUL, r.ReadUInt64());
        Assert.Equal(-1L, r.ReadInt64());
        Assert.Equal(1.0, r.ReadDouble());
        Assert.Equal(31, r.Position);
        Assert.Equal("abc", r.ReadString());
        Assert.Equal(Hex("DEADBEEF"), r.ReadBytes(4).ToArray());
        Assert.True(r.IsAtEnd);
        Assert.Equal(0, r.Remaining);
    }

    [Theory]
    [InlineData(0u, "00")]
    [InlineData(1u, "01")]
    [InlineData(127u, "7F")]
    [InlineData(128u, "8001")]
    [InlineData(300u, "AC02")]
    [InlineData(16383u, "FF7F")]
    [InlineData(16384u, "808001")]
    [InlineData(0x0FFFFFFFu, "FFFFFF7F")]
    [InlineData(0x10000000u, "8080808001")]
    [InlineData(uint.MaxValue, "FFFFFFFF0F")]
    public void VarUInt32_is_minimal_leb128(uint value, string hex)
    {
        var buffer = new byte[5];
        var w = new WireWriter(buffer);
        w.WriteVarUInt32(value);
        Assert.Equal(Hex(hex), buffer[..w.Written]);
        Assert.Equal(w.Written, WireWriter.GetVarUInt32Size(value));

        var r = new WireReader(buffer.AsSpan(0, w.Written));
        Assert.Equal(value, r.ReadVarUInt32());
        Assert.True(r.IsAtEnd);
    }

    [Theory]
    [InlineData("FFFFFFFF10", "overflows 32 bits")]
    [InlineData("FFFFFFFF7F", "overflows 32 bits")]
    [InlineData("FFFFFFFF8F00", "longer than 5 bytes")]
    [InlineData("8080808080", "longer than 5 bytes")]
    [InlineData("", "truncated frame")]
    [InlineData("80", "truncated frame")]
    [InlineData("FFFFFFFF", "truncated frame")]
    public void Bad_varints_are_rejected(string hex, string reason)
    {
        var bytes = Hex(hex);
        var ex = Assert.Throws<WireFormatException>(() =>
        {
            var r = new WireReader(bytes);
            r.ReadVarUInt32();
        });
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Non_minimal_varint_is_accepted()
    {
        var r = new WireReader(Hex("8000"));
        Assert.Equal(0u, r.ReadVarUInt32());
        Assert.True(r.IsAtEnd);
    }

    [Fact]
    public void Reader_truncations_throw_with_position()
    {
        var bytes = Hex("010203");
        Assert.Equal("truncated frame: needed 4 bytes at offset 0, 3 left",
            Assert.Throws<WireFormatException>(() => new WireReader(bytes).ReadUInt32()).Message);
        Assert.Equal("truncated frame: needed 8 bytes at offset 0, 3 left",
            Assert.Throws<WireFormatException>(() => new WireReader(bytes).ReadDouble()).Message);
        Assert.Equal("truncated frame: needed 8 bytes at offset 0, 3 left",
            Assert.Throws<WireFormatException>(() => new WireReader(bytes).ReadInt64()).Message);
        Assert.Equal("truncated frame: needed 8 bytes at offset 0, 3 left",
            Assert.Throws<WireFormatException>(() => new WireReader(bytes).ReadUInt64()).Message);
        Assert.Throws<WireFormatException>(() => new WireReader(bytes).ReadBytes(4));
        Assert.Throws<WireFormatException>(() => new WireReader(ReadOnlySpan<byte>.Empty).ReadByte());
        Assert.Throws<WireFormatException>(() => new WireReader(ReadOnlySpan<byte>.Empty).ReadUInt16());
        Assert.Throws<WireFormatException>(() =>
        {
            var r = new WireReader(bytes);
            r.ReadUInt16();
            r.ReadUInt16();
        });
        Assert.Equal(0, new WireReader(bytes).ReadBytes(0).Length);
    }
}
