using System.Collections.Immutable;

namespace Spillway.Engine.Data;

/// <summary>An ordered sequence of values; equality is element-wise and order-sensitive.</summary>
public sealed record VectorValue(ImmutableArray<Value> Items) : Value
{
    public VectorValue(params Value[] items) : this(ImmutableArray.Create(items)) { }
    public override ValueKind Kind => ValueKind.Vector;
    public bool Equals(VectorValue? other) =>
        other is not null && Items.AsSpan().SequenceEqual(other.Items.AsSpan());
    public override int GetHashCode() => ValueHashing.Ordered(Items);
}

/// <summary>A set of distinct values. Order is not significant for equality; it is preserved for encoding.</summary>
public sealed record SetValue(ImmutableArray<Value> Items) : Value
{
    public SetValue(params Value[] items) : this(ImmutableArray.Create(items)) { }
    public override ValueKind Kind => ValueKind.Set;
    // Both directions, so that containers carrying duplicates ({a,a,b} vs {a,b,b}) do not compare equal.
    public bool Equals(SetValue? other) =>
        other is not null && Items.Length == other.Items.Length
        && Items.All(other.Items.Contains) && other.Items.All(Items.Contains);
    public override int GetHashCode() => ValueHashing.Unordered(Items);
}

/// <summary>A key-value map. Entry order is not significant for equality; it is preserved for encoding.</summary>
public sealed record TableValue(ImmutableArray<KeyValuePair<Value, Value>> Entries) : Value
{
    public TableValue(params KeyValuePair<Value, Value>[] entries) : this(ImmutableArray.Create(entries)) { }
    public override ValueKind Kind => ValueKind.Table;
    public bool Equals(TableValue? other) =>
        other is not null && Entries.Length == other.Entries.Length
        && Entries.All(other.Entries.Contains) && other.Entries.All(Entries.Contains);
    public override int GetHashCode() =>
        ValueHashing.Unordered(Entries.Select(e => HashCode.Combine(e.Key, e.Value)));
}

internal static class ValueHashing
{
    public static int Ordered(ImmutableArray<Value> items)
    {
        var hash = new HashCode();
        foreach (var item in items) hash.Add(item);
        return hash.ToHashCode();
    }

    // Order-independent: XOR-free sum so that equal multisets hash equally.
    public static int Unordered(IEnumerable<Value> items) => Unordered(items.Select(i => i.GetHashCode()));

    public static int Unordered(IEnumerable<int> hashes)
    {
        int sum = 0, count = 0;
        foreach (var h in hashes) { sum = unchecked(sum + h); count++; }
        return HashCode.Combine(sum, count);
    }
}
