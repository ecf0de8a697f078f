using System.Collections.Immutable;

namespace Spillway.Engine.Data;

/// <summary>
/// Sorts set items or table entries into <see cref="ValueOrder"/> after finding duplicates by hashing. The
/// duplicate check is a <see cref="HashSet{T}"/> over <see cref="Value"/> hash codes, which mix every bit with
/// a per-process seed (<see cref="ValueHashing"/>): O(n) expected, and no input chosen in advance can make
/// the codes collide. A duplicate is reported before any sorting is done.
/// </summary>
internal static class CanonicalOrder
{
    /// <summary>
    /// False, with the index of the first element whose key repeats an earlier one, if keys repeat.
    /// Input already in strict canonical order (what every Spillway and Broker encoder writes) is
    /// returned as is after n - 1 comparisons (strict order rules out duplicates). Otherwise duplicates
    /// are found by hashing, O(n) expected, then the distinct keys are sorted for output, O(n log n) worst case.
    /// </summary>
    public static bool TrySort<T>(ImmutableArray<T> items, Func<T, Value> key, out ImmutableArray<T> sorted, out int duplicateIndex)
    {
        if (items.IsDefault) items = [];
        for (int i = 0; i < items.Length; i++)
        {
            if (key(items[i]) is null) throw new ArgumentNullException(nameof(items), "a container holds a null value");
        }
        duplicateIndex = -1;
        if (IsStrictlyAscending(items, key))
        {
            sorted = items;
            return true;
        }
        var seen = new HashSet<Value>(items.Length);
        for (int i = 0; i < items.Length; i++)
        {
            if (seen.Add(key(items[i]))) continue;
            duplicateIndex = i;
            sorted = default;
            return false;
        }
        // Sort the keys themselves with their positions alongside: no delegate or lookup per comparison.
        var keys = new Value[items.Length];
        var order = new int[items.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = key(items[i]);
            order[i] = i;
        }
        Array.Sort(keys, order, ValueOrder.Instance);
        // The order and Equals agree for every kind (so no neighbours compare equal here); this keeps the
        // container's contract, strictly ascending keys, even if a kind ever broke that.
        for (int i = 1; i < keys.Length; i++)
        {
            if (ValueOrder.Compare(keys[i - 1], keys[i]) != 0) continue;
            int repeat = Math.Max(order[i - 1], order[i]);
            if (duplicateIndex < 0 || repeat < duplicateIndex) duplicateIndex = repeat;
        }
        if (duplicateIndex >= 0)
        {
            sorted = default;
            return false;
        }
        var builder = ImmutableArray.CreateBuilder<T>(items.Length);
        foreach (int i in order) builder.Add(items[i]);
        sorted = builder.MoveToImmutable();
        return true;
    }

    private static bool IsStrictlyAscending<T>(ImmutableArray<T> items, Func<T, Value> key)
    {
        for (int i = 1; i < items.Length; i++)
        {
            if (ValueOrder.Compare(key(items[i - 1]), key(items[i])) >= 0) return false;
        }
        return true;
    }
}
