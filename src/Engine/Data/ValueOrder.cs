using System.Net;

namespace Spillway.Engine.Data;

/// <summary>
/// Broker's total order on values, the order of its <c>std::set</c> and <c>std::map</c>: first by kind
/// in Broker's variant order (none, boolean, count, integer, real, string, address, subnet, port,
/// timestamp, timespan, enum, set, table, vector), then by value. Strings compare as UTF-8 bytes,
/// addresses as 16 bytes with IPv4 mapped into IPv6, containers lexicographically.
/// <c>Compare(a, b) == 0</c> exactly when <c>a.Equals(b)</c>.
/// </summary>
public sealed class ValueOrder : IComparer<Value>
{
    /// <summary>The one instance.</summary>
    public static readonly ValueOrder Instance = new();

    private ValueOrder() { }

    int IComparer<Value>.Compare(Value? x, Value? y) => Compare(x!, y!);

    /// <summary>Negative, zero or positive as <paramref name="a"/> sorts before, with or after <paramref name="b"/>.</summary>
    public static int Compare(Value a, Value b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (ReferenceEquals(a, b)) return 0;
        var kind = a.Kind;
        int byKind = Rank(kind).CompareTo(Rank(b.Kind));
        if (byKind != 0) return byKind;
        // One branch on the kind, then exact casts: sorting a large set costs a few nanoseconds a comparison.
        return kind switch
        {
            ValueKind.None => 0,
            ValueKind.Boolean => ((BooleanValue)a).Value.CompareTo(((BooleanValue)b).Value),
            ValueKind.Count => ((CountValue)a).Value.CompareTo(((CountValue)b).Value),
            ValueKind.Integer => ((IntegerValue)a).Value.CompareTo(((IntegerValue)b).Value),
            ValueKind.Real => ((RealValue)a).Value.CompareTo(((RealValue)b).Value),
            ValueKind.String => CompareUtf8Order(((StringValue)a).Value, ((StringValue)b).Value),
            ValueKind.Address => CompareAddresses(((AddressValue)a).Address, ((AddressValue)b).Address),
            ValueKind.Subnet => CompareSubnets((SubnetValue)a, (SubnetValue)b),
            ValueKind.Port => ComparePorts((PortValue)a, (PortValue)b),
            ValueKind.Timestamp => ((TimestampValue)a).NanosecondsSinceEpoch.CompareTo(((TimestampValue)b).NanosecondsSinceEpoch),
            ValueKind.Timespan => ((TimespanValue)a).Nanoseconds.CompareTo(((TimespanValue)b).Nanoseconds),
            ValueKind.EnumValue => CompareUtf8Order(((EnumValue)a).Name, ((EnumValue)b).Name),
            ValueKind.Set => CompareSequences(((SetValue)a).Items.AsSpan(), ((SetValue)b).Items.AsSpan()),
            ValueKind.Table => CompareEntries(((TableValue)a).Entries.AsSpan(), ((TableValue)b).Entries.AsSpan()),
            ValueKind.Vector => CompareSequences(((VectorValue)a).Items.AsSpan(), ((VectorValue)b).Items.AsSpan()),
            _ => throw new ArgumentException($"unsupported value type {a.GetType().Name}"),
        };
    }

    private static int ComparePorts(PortValue x, PortValue y) =>
        x.Number != y.Number ? x.Number.CompareTo(y.Number) : ((byte)x.Protocol).CompareTo((byte)y.Protocol);

    /// <summary>Position of a kind in Broker's variant (data.hh), which orders values of different kinds.</summary>
    private static int Rank(ValueKind kind) => kind switch
    {
        ValueKind.None => 0,
        ValueKind.Boolean => 1,
        ValueKind.Count => 2,
        ValueKind.Integer => 3,
        ValueKind.Real => 4,
        ValueKind.String => 5,
        ValueKind.Address => 6,
        ValueKind.Subnet => 7,
        ValueKind.Port => 8,
        ValueKind.Timestamp => 9,
        ValueKind.Timespan => 10,
        ValueKind.EnumValue => 11,
        ValueKind.Set => 12,
        ValueKind.Table => 13,
        ValueKind.Vector => 14,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a Broker value kind"),
    };

    /// <summary>
    /// Code point order, which is UTF-8 byte order (Broker's <c>std::string</c>). UTF-16 code unit order
    /// differs only between a surrogate and U+E000..U+FFFF: shift those so surrogates sort last.
    /// </summary>
    private static int CompareUtf8Order(string a, string b)
    {
        int common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length) return a.Length.CompareTo(b.Length);
        return Fix(a[common]).CompareTo(Fix(b[common]));

        static int Fix(char c) => c >= 0xE000 ? c - 0x800 : char.IsSurrogate(c) ? c + 0x2000 : c;
    }

    private static int CompareAddresses(IPAddress a, IPAddress b)
    {
        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        ValueAddresses.WriteAsV6(a, x);
        ValueAddresses.WriteAsV6(b, y);
        return x.SequenceCompareTo(y);
    }

    private static int CompareSubnets(SubnetValue a, SubnetValue b)
    {
        int byNetwork = CompareAddresses(a.Network, b.Network);
        if (byNetwork != 0) return byNetwork;
        // Broker stores an IPv4 prefix as 96 + its length; equal networks share a family.
        return a.PrefixLength.CompareTo(b.PrefixLength);
    }

    private static int CompareSequences(ReadOnlySpan<Value> a, ReadOnlySpan<Value> b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            int c = Compare(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }

    private static int CompareEntries(ReadOnlySpan<KeyValuePair<Value, Value>> a, ReadOnlySpan<KeyValuePair<Value, Value>> b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            int c = Compare(a[i].Key, b[i].Key);
            if (c == 0) c = Compare(a[i].Value, b[i].Value);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }
}
