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
        int byKind = Rank(a.Kind).CompareTo(Rank(b.Kind));
        if (byKind != 0) return byKind;
        return (a, b) switch
        {
            (NoneValue, NoneValue) => 0,
            (BooleanValue x, BooleanValue y) => x.Value.CompareTo(y.Value),
            (CountValue x, CountValue y) => x.Value.CompareTo(y.Value),
            (IntegerValue x, IntegerValue y) => x.Value.CompareTo(y.Value),
            (RealValue x, RealValue y) => x.Value.CompareTo(y.Value),
            (StringValue x, StringValue y) => CompareUtf8Order(x.Value, y.Value),
            (AddressValue x, AddressValue y) => CompareAddresses(x.Address, y.Address),
            (SubnetValue x, SubnetValue y) => CompareSubnets(x, y),
            (PortValue x, PortValue y) => x.Number != y.Number ? x.Number.CompareTo(y.Number) : ((byte)x.Protocol).CompareTo((byte)y.Protocol),
            (TimestampValue x, TimestampValue y) => x.NanosecondsSinceEpoch.CompareTo(y.NanosecondsSinceEpoch),
            (TimespanValue x, TimespanValue y) => x.Nanoseconds.CompareTo(y.Nanoseconds),
            (EnumValue x, EnumValue y) => CompareUtf8Order(x.Name, y.Name),
            (SetValue x, SetValue y) => CompareSequences(x.Items.AsSpan(), y.Items.AsSpan()),
            (TableValue x, TableValue y) => CompareEntries(x.Entries.AsSpan(), y.Entries.AsSpan()),
            (VectorValue x, VectorValue y) => CompareSequences(x.Items.AsSpan(), y.Items.AsSpan()),
            _ => throw new ArgumentException($"unsupported value type {a.GetType().Name}"),
        };
    }

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
