using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

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
    public override int GetHashCode() => ValueHashing.Ordered(ValueKind.Vector, Items.AsSpan());
}

/// <summary>
/// A set of distinct values, held in Broker's canonical order (<see cref="ValueOrder"/>) whatever the
/// order given, so equal sets have equal items in equal order and encode to equal bytes.
/// </summary>
public sealed record SetValue : Value
{
    /// <exception cref="ArgumentException">Two items are equal.</exception>
    public SetValue(ImmutableArray<Value> items)
    {
        if (!CanonicalOrder.TrySort(items, static v => v, out var sorted, out int duplicate))
            throw new ArgumentException($"set holds a duplicate element at index {duplicate}", nameof(items));
        Items = sorted;
    }

    /// <exception cref="ArgumentException">Two items are equal.</exception>
    public SetValue(params Value[] items) : this(ImmutableArray.Create(items)) { }

    private SetValue(ImmutableArray<Value> sorted, bool _) => Items = sorted;

    /// <summary>
    /// Builds a set, or reports the index (in <paramref name="items"/>) of the first item equal to an
    /// earlier one. Costs n - 1 comparisons for items already in canonical order; otherwise a seeded-hash
    /// duplicate check, O(n) expected whatever the items, then an O(n log n) sort into canonical order.
    /// </summary>
    public static bool TryCreate(ImmutableArray<Value> items, [NotNullWhen(true)] out SetValue? set, out int duplicateIndex)
    {
        if (CanonicalOrder.TrySort(items, static v => v, out var sorted, out duplicateIndex))
        {
            set = new SetValue(sorted, true);
            return true;
        }
        set = null;
        return false;
    }

    /// <summary>The elements, distinct, in canonical order.</summary>
    public ImmutableArray<Value> Items { get; }
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Set;
    /// <inheritdoc/>
    public bool Equals(SetValue? other) =>
        other is not null && Items.AsSpan().SequenceEqual(other.Items.AsSpan());
    /// <inheritdoc/>
    public override int GetHashCode() => ValueHashing.Ordered(ValueKind.Set, Items.AsSpan());
}

/// <summary>
/// A key-value map with distinct keys, held in Broker's canonical key order (<see cref="ValueOrder"/>)
/// whatever the order given, so equal tables encode to equal bytes.
/// </summary>
public sealed record TableValue : Value
{
    /// <exception cref="ArgumentException">Two keys are equal.</exception>
    public TableValue(ImmutableArray<KeyValuePair<Value, Value>> entries)
    {
        if (!CanonicalOrder.TrySort(entries, static e => e.Key, out var sorted, out int duplicate))
            throw new ArgumentException($"table holds a duplicate key at entry {duplicate}", nameof(entries));
        Entries = sorted;
    }

    /// <exception cref="ArgumentException">Two keys are equal.</exception>
    public TableValue(params KeyValuePair<Value, Value>[] entries) : this(ImmutableArray.Create(entries)) { }

    private TableValue(ImmutableArray<KeyValuePair<Value, Value>> sorted, bool _) => Entries = sorted;

    /// <summary>Builds a table, or reports the index of the first entry whose key equals an earlier one (cost as <see cref="SetValue.TryCreate"/>).</summary>
    public static bool TryCreate(ImmutableArray<KeyValuePair<Value, Value>> entries, [NotNullWhen(true)] out TableValue? table, out int duplicateIndex)
    {
        if (CanonicalOrder.TrySort(entries, static e => e.Key, out var sorted, out duplicateIndex))
        {
            table = new TableValue(sorted, true);
            return true;
        }
        table = null;
        return false;
    }

    /// <summary>The entries, keys distinct, in canonical key order.</summary>
    public ImmutableArray<KeyValuePair<Value, Value>> Entries { get; }
    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Table;
    /// <inheritdoc/>
    public bool Equals(TableValue? other)
    {
        if (other is null || Entries.Length != other.Entries.Length) return false;
        for (int i = 0; i < Entries.Length; i++)
        {
            if (!Entries[i].Key.Equals(other.Entries[i].Key) || !Entries[i].Value.Equals(other.Entries[i].Value)) return false;
        }
        return true;
    }
    /// <inheritdoc/>
    public override int GetHashCode() => ValueHashing.Ordered(Entries.AsSpan());
}
