namespace Spillway.Engine.Peering;

/// <summary>
/// One <see cref="SubscriptionTrie"/> per distinct set of prefixes in the process: peerings and clients that subscribe
/// alike share one matcher. A publish then matches its topic once for a run of such subscribers instead of once each
/// (<see cref="SpillwayEndpoint"/>), and a thousand peerings with the same prefixes hold one trie, not a thousand.
/// </summary>
/// <remarks>
/// A trie is immutable, so sharing one can never change what anyone matches. The table holds its tries weakly: a set
/// nobody subscribes with any more is collected, and its entry is swept once the table has doubled since the last
/// sweep, so the table stays within about twice the sets in use whatever remotes send. Building happens outside the
/// lock; the lock covers only the lookup and the insert.
/// </remarks>
internal static class SharedSubscriptionTries
{
    private const int MinSweepAt = 64;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<PrefixSet, WeakReference<SubscriptionTrie>> Tries = new();
    private static int _sweepAt = MinSweepAt;

    /// <summary>Entries in the table now, live or awaiting a sweep; for tests.</summary>
    internal static int Count { get { lock (Gate) return Tries.Count; } }

    /// <summary>The trie for <paramref name="prefixes"/> (in any order, duplicates counted), shared with every equal set.</summary>
    public static SubscriptionTrie For(IReadOnlyCollection<string> prefixes)
    {
        var sorted = prefixes.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        var key = new PrefixSet(sorted);
        lock (Gate)
            if (Tries.TryGetValue(key, out var known) && known.TryGetTarget(out var shared)) return shared;
        var built = new SubscriptionTrie(sorted);
        lock (Gate)
        {
            // Another subscriber may have built the same set meanwhile: keep one.
            if (Tries.TryGetValue(key, out var known) && known.TryGetTarget(out var shared)) return shared;
            if (Tries.Count >= _sweepAt) Sweep();
            Tries[key] = new WeakReference<SubscriptionTrie>(built);
            return built;
        }
    }

    private static void Sweep()
    {
        foreach (var (key, trie) in Tries)
            if (!trie.TryGetTarget(out _)) Tries.Remove(key);
        _sweepAt = Math.Max(MinSweepAt, 2 * Tries.Count);
    }

    /// <summary>Prefixes in ordinal order, compared by content. String hashing is randomized per process, so chosen prefixes cannot flood the table.</summary>
    private readonly struct PrefixSet(string[] sorted) : IEquatable<PrefixSet>
    {
        private readonly string[] _sorted = sorted;

        public bool Equals(PrefixSet other) => _sorted.AsSpan().SequenceEqual(other._sorted);

        public override bool Equals(object? obj) => obj is PrefixSet other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var prefix in _sorted) hash.Add(prefix, StringComparer.Ordinal);
            return hash.ToHashCode();
        }
    }
}
