using System.Collections.Immutable;
using System.Net;
using Spillway.Engine.Data;

namespace Spillway.Engine.Tests.Data;

/// <summary>Values are canonical from construction on, as Broker's are (issue: equal values, equal bytes).</summary>
public class ValueCanonicalTests
{
    [Theory]
    [InlineData("192.168.1.77", 24, "192.168.1.0", 24)]
    [InlineData("10.255.255.255", 8, "10.0.0.0", 8)]
    [InlineData("10.1.2.3", 0, "0.0.0.0", 0)]
    [InlineData("10.1.2.3", 32, "10.1.2.3", 32)]
    [InlineData("10.1.2.3", 31, "10.1.2.2", 31)]
    [InlineData("2001:db8:ffff::1", 32, "2001:db8::", 32)]
    [InlineData("2001:db8::ff", 121, "2001:db8::80", 121)]
    [InlineData("::ffff:192.168.1.77", 120, "192.168.1.0", 24)]
    [InlineData("::ffff:192.168.1.77", 96, "0.0.0.0", 0)]
    [InlineData("::ffff:192.168.1.77", 88, "::ff00:0:0", 88)]
    [InlineData("fe80::1%3", 128, "fe80::1", 128)]
    public void Subnet_is_masked_to_its_prefix(string network, byte length, string expectedNetwork, byte expectedLength)
    {
        var subnet = new SubnetValue(IPAddress.Parse(network), length);

        Assert.Equal(IPAddress.Parse(expectedNetwork), subnet.Network);
        Assert.Equal(expectedLength, subnet.PrefixLength);
        Assert.Equal(new SubnetValue(IPAddress.Parse(expectedNetwork), expectedLength), subnet);
    }

    [Theory]
    [InlineData("10.0.0.0", 33, "subnet prefix length 33 exceeds 32 for 10.0.0.0 (Parameter 'prefixLength')")]
    [InlineData("::", 129, "subnet prefix length 129 exceeds 128 for :: (Parameter 'prefixLength')")]
    public void Subnet_prefix_longer_than_the_address_is_refused(string network, byte length, string expected)
    {
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => new SubnetValue(IPAddress.Parse(network), length)).Message);
    }

    [Fact]
    public void Ipv4_mapped_address_is_its_ipv4_address_and_a_scope_id_is_dropped()
    {
        Assert.Equal("192.168.0.1", new AddressValue(IPAddress.Parse("::ffff:192.168.0.1")).Address.ToString());
        Assert.Equal(new AddressValue(IPAddress.Parse("192.168.0.1")), new AddressValue(IPAddress.Parse("::ffff:192.168.0.1")));
        Assert.Equal("fe80::1", new AddressValue(IPAddress.Parse("fe80::1%3")).Address.ToString());
        Assert.Equal("::1", new AddressValue(IPAddress.IPv6Loopback).Address.ToString());
    }

    [Fact]
    public void Set_items_and_table_keys_come_out_in_brokers_order()
    {
        Value[] given =
        [
            new VectorValue(), new TableValue(), new SetValue(), new EnumValue("E"), new TimespanValue(1),
            new TimestampValue(1), new PortValue(1, PortProtocol.Tcp), new SubnetValue(IPAddress.Any, 0),
            new AddressValue(IPAddress.Any), Value.Of("s"), Value.Of(1.5), Value.Of(-1L), Value.Of(1UL),
            Value.Of(false), Value.None,
        ];

        var set = new SetValue(given);

        Assert.Equal(given.Reverse().ToArray(), set.Items.ToArray());
        var table = new TableValue(given.Select(v => KeyValuePair.Create(v, Value.None)).ToArray());
        Assert.Equal(given.Reverse().ToArray(), table.Entries.Select(e => e.Key).ToArray());
    }

    public static TheoryData<Value, Value> AscendingPairs => new()
    {
        { Value.Of(false), Value.Of(true) },
        { Value.Of(ulong.MaxValue), Value.Of(long.MinValue) },             // count before integer, whatever the numbers
        { Value.Of(-1L), Value.Of(0L) },
        { Value.Of(double.NegativeInfinity), Value.Of(-0.5) },
        { Value.Of("Z"), Value.Of("a") },
        { Value.Of("a"), Value.Of("ab") },
        { Value.Of("\uffff"), Value.Of("😀") },                             // UTF-8 byte order, not UTF-16 unit order
        { Value.Of("é"), Value.Of("\ue000") },
        { new AddressValue(IPAddress.Parse("::1")), new AddressValue(IPAddress.Parse("0.0.0.0")) }, // IPv4 is ::ffff:0:0/96
        { new AddressValue(IPAddress.Parse("255.255.255.255")), new AddressValue(IPAddress.Parse("2001:db8::")) },
        { new SubnetValue(IPAddress.Parse("10.0.0.0"), 8), new SubnetValue(IPAddress.Parse("10.0.0.0"), 16) },
        { new SubnetValue(IPAddress.Parse("10.0.0.0"), 16), new SubnetValue(IPAddress.Parse("10.1.0.0"), 16) },
        { new PortValue(22, PortProtocol.Udp), new PortValue(80, PortProtocol.Tcp) },
        { new PortValue(80, PortProtocol.Unknown), new PortValue(80, PortProtocol.Tcp) },
        { new TimestampValue(5), new TimespanValue(1) },
        { new EnumValue("A"), new EnumValue("B") },
        { new SetValue(Value.Of(1L)), new SetValue(Value.Of(1L), Value.Of(2L)) },
        { new SetValue(Value.Of(1L), Value.Of(9L)), new SetValue(Value.Of(2L)) },
        { new TableValue(KeyValuePair.Create(Value.Of(1L), Value.Of(1L))), new TableValue(KeyValuePair.Create(Value.Of(1L), Value.Of(2L))) },
        { new VectorValue(Value.Of(2L)), new VectorValue(Value.Of(2L), Value.None) },
        { new TableValue(), new VectorValue() },
    };

    [Theory]
    [MemberData(nameof(AscendingPairs))]
    public void Order_matches_broker(Value lower, Value higher)
    {
        Assert.True(ValueOrder.Compare(lower, higher) < 0);
        Assert.True(ValueOrder.Compare(higher, lower) > 0);
        Assert.Equal(0, ValueOrder.Compare(lower, lower));
        Assert.Equal([lower, higher], new SetValue(higher, lower).Items.ToArray());
    }

    [Fact]
    public void Equal_values_compare_as_zero()
    {
        Assert.Equal(0, ValueOrder.Compare(Value.Of(0.0), Value.Of(-0.0)));
        Assert.Equal(0, ValueOrder.Compare(Value.Of(double.NaN), Value.Of(double.NaN)));
        Assert.Equal(0, ValueOrder.Compare(new SetValue(Value.Of(1L), Value.Of(2L)), new SetValue(Value.Of(2L), Value.Of(1L))));
    }

    [Fact]
    public void TryCreate_names_the_first_repeat_in_the_given_order()
    {
        var items = ImmutableArray.Create<Value>(Value.Of(3L), Value.Of(2L), Value.Of(1L), Value.Of(2L), Value.Of(3L));

        Assert.False(SetValue.TryCreate(items, out var set, out int duplicate));
        Assert.Null(set);
        Assert.Equal(3, duplicate);
        Assert.True(SetValue.TryCreate([Value.Of(3L), Value.Of(1L)], out set, out _));
        Assert.Equal([Value.Of(1L), Value.Of(3L)], set.Items.ToArray());
    }

    [Fact]
    public void A_shuffled_colliding_set_is_sorted_and_its_one_duplicate_found_by_position()
    {
        // Integers sharing one .NET hash code, shuffled so the in-order shortcut does not apply: the hash path.
        var numbers = Enumerable.Range(1, 20_000).Select(k => (long)k << 32 | (uint)k).ToArray();
        new Random(5).Shuffle(numbers);
        var items = numbers.Select(n => (Value)Value.Of(n)).ToImmutableArray();

        Assert.True(SetValue.TryCreate(items, out var set, out _));
        Assert.Equal(numbers.Order().Select(n => (Value)Value.Of(n)), set.Items);

        var withRepeat = items.Insert(12_345, Value.Of(numbers[19_000])).Add(Value.Of(numbers[3]));
        Assert.False(SetValue.TryCreate(withRepeat, out _, out int duplicate));
        Assert.Equal(19_001, duplicate); // the inserted copy shifted the original up by one; the earlier repeat wins
    }

    [Fact]
    public void Table_keys_and_nested_containers_are_compared_by_value_when_hashed()
    {
        var key = new SetValue(Value.Of(2L), Value.Of(1L));
        var sameKey = new SetValue(Value.Of(1L), Value.Of(2L));
        var entries = ImmutableArray.Create(
            KeyValuePair.Create<Value, Value>(Value.Of("b"), Value.Of(1L)),
            KeyValuePair.Create<Value, Value>(key, Value.Of(2L)),
            KeyValuePair.Create<Value, Value>(Value.Of("a"), Value.Of(3L)),
            KeyValuePair.Create<Value, Value>(sameKey, Value.Of(4L)));
        Assert.False(TableValue.TryCreate(entries, out _, out int duplicate));
        Assert.Equal(3, duplicate);
        Assert.True(TableValue.TryCreate(entries.RemoveAt(3), out var table, out _));
        Assert.Equal([Value.Of("a"), Value.Of("b"), key], table.Entries.Select(e => e.Key));
        Assert.Equal(new SetValue(Value.Of(-0.0), Value.Of(double.NaN)), new SetValue(Value.Of(double.NaN), Value.Of(0.0)));
        Assert.Throws<ArgumentException>(() => new SetValue(Value.Of(1.0), Value.Of(-0.0), Value.Of(0.0)));
    }

    [Fact]
    public void Integers_that_share_a_dotnet_hash_code_get_distinct_value_hash_codes()
    {
        // (k << 32) | k folds to 0 under long.GetHashCode for every k: the flooding input.
        var values = Enumerable.Range(1, 1000).Select(k => (long)k << 32 | (uint)k).ToArray();
        Assert.Single(values.Select(v => v.GetHashCode()).Distinct());

        // A seeded 32-bit hash of 1000 values collides a few times at most (expected 0.0001 pairs).
        Assert.True(values.Select(v => new IntegerValue(v).GetHashCode()).Distinct().Count() >= 990);
        Assert.True(values.Select(v => new CountValue((ulong)v).GetHashCode()).Distinct().Count() >= 990);
        Assert.True(values.Select(v => new TimespanValue(v).GetHashCode()).Distinct().Count() >= 990);
    }

    [Fact]
    public void Equal_values_have_equal_hash_codes()
    {
        Assert.Equal(Value.Of(0.0).GetHashCode(), Value.Of(-0.0).GetHashCode());
        Assert.Equal(Value.Of(double.NaN).GetHashCode(), Value.Of(-double.NaN).GetHashCode());
        Assert.Equal(new AddressValue(IPAddress.Parse("::ffff:1.2.3.4")).GetHashCode(), new AddressValue(IPAddress.Parse("1.2.3.4")).GetHashCode());
        Assert.Equal(new SubnetValue(IPAddress.Parse("1.2.3.4"), 8).GetHashCode(), new SubnetValue(IPAddress.Parse("1.0.0.0"), 8).GetHashCode());
        Assert.NotEqual(Value.Of(1L), (Value)Value.Of(1UL));
    }
}
