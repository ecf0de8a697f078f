using System.Collections.Immutable;

namespace Spillway.Engine.Data;

/// <summary>An ordered sequence of values; equality is element-wise and order-sensitive.</summary>
/// <param name="Items">The elements, in order.</param>
public sealed record VectorValue(ImmutableArray<Value> Items) : Value
{
    /// <summary>A vector of <paramref name="items"/>.</summary>
    public VectorValue(params Value[] items) : this(ImmutableArray.Create(items)) { }
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Vector;
    /// <inheritdoc/>
    public bool Equals(VectorValue? other) =>
        other is not null && Items.AsSpan().SequenceEqual(other.Items.AsSpan());
    /// <inheritdoc/>
    public override int GetHashCode() => ValueHashing.Ordered(Items);
}

/// <summary>A set of distinct values. Order is not significant for equality; it is preserved for encoding.</summary>
/// <param name="Items">The elements.</param>
public sealed record SetValue(ImmutableArray<Value> Items) : Value
{
    /// <summary>A set of <paramref name="items"/>.</summary>
    public SetValue(params Value[] items) : this(ImmutableArray.Create(items)) { }
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Set;
    /// <inheritdoc/>
    public bool Equals(SetValue? other) =>
        other is not null && ValueHashing.SameMultiset(Items, other.Items, static (a, b) => a.Equals(b));
    /// <inheritdoc/>
    public override int GetHashCode() => ValueHashing.Unordered(Items);
}

/// <summary>A key-value map. Entry order is not significant for equality; it is preserved for encoding.</summary>
/// <param name="Entries">The entries.</param>
public sealed record TableValue(ImmutableArray<KeyValuePair<Value, Value>> Entries) : Value
{
    /// <summary>A table of <paramref name="entries"/>.</summary>
    public TableValue(params KeyValuePair<Value, Value>[] entries) : this(ImmutableArray.Create(entries)) { }
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Table;
    /// <inheritdoc/>
    public bool Equals(TableValue? other) =>
        other is not null && ValueHashing.SameMultiset(Entries, other.Entries, static (a, b) => a.Key.Equals(b.Key) && a.Value.Equals(b.Value));
    /// <inheritdoc/>
    public override int GetHashCode() =>
        ValueHashing.Unordered(Entries.Select(e => HashCode.Combine(e.Key, e.Value)));
}

internal static class ValueHashing
{
    /// <summary>
    /// Same elements, order aside, duplicates counted: each element of <paramref name="a"/> takes one unused
    /// equal element of <paramref name="b"/>. One pass in one direction, so comparing nested containers
    /// costs time linear in their depth (a comparison in both directions would double per level).
    /// </summary>
    public static bool SameMultiset<T>(ImmutableArray<T> a, ImmutableArray<T> b, Func<T, T, bool> equal)
    {
        if (a.Length != b.Length) return false;
        var used = a.Length <= 64 ? stackalloc bool[a.Length] : new bool[a.Length];
        foreach (var x in a)
        {
            var found = false;
            for (var j = 0; j < b.Length && !found; j++)
            {
                if (used[j] || !equal(x, b[j])) continue;
                used[j] = true;
                found = true;
            }
            if (!found) return false;
        }
        return true;
    }

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
