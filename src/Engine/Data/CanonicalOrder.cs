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
        // Distinct by Equals; ties (values the order calls equal but Equals does not) keep their input order.
        var order = new int[items.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (x, y) =>
        {
            int c = ValueOrder.Compare(key(items[x]), key(items[y]));
            return c != 0 ? c : x.CompareTo(y);
        });
        // The order and Equals agree for every kind; this keeps the set's contract (strictly ascending items) even if one did not.
        for (int i = 1; i < order.Length; i++)
        {
            if (ValueOrder.Compare(key(items[order[i - 1]]), key(items[order[i]])) == 0
                && (duplicateIndex < 0 || order[i] < duplicateIndex))
            {
                duplicateIndex = order[i];
            }
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
