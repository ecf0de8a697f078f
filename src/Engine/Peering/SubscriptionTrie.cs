namespace Spillway.Engine.Peering;

/// <summary>
/// An immutable set of topic prefixes that answers "does any prefix start this topic?" by walking the topic
/// once: the cost depends on the topic's length, not on how many prefixes there are. Built once per
/// subscription change (off the publish path); <see cref="Matches"/> allocates nothing and takes no lock,
/// so publishers on any thread share one instance.
/// </summary>
/// <remarks>
/// A radix trie: each node holds the run of characters its subtree shares as a slice of one of the given
/// strings (no copies), so its size is bounded by the number of prefixes, not their total length; a remote
/// cannot make it bigger than the frame that carried the prefixes. For <see cref="Matches"/> alone a prefix
/// shadows every longer prefix that starts with it, so those take no nodes at all; built with
/// <c>everyPrefix</c> it keeps them, numbered, so <see cref="EnumerateMatches"/> can name every prefix of a
/// topic (local subscriptions, where each prefix has its own handlers).
/// <para>
/// Many prefixes (<see cref="MinHashedPrefixes"/> or more) of few distinct lengths (at most <see cref="MaxHashedLengths"/>:
/// thousands of tenant prefixes of one shape, say) skip the trie: a topic is matched by looking up its first ℓ characters
/// in one hash table for each length ℓ, which costs the same for 10 prefixes as for 100,000, where the trie's walk
/// takes one more branch for every character in which the prefixes differ. The table's string hashing switches to
/// randomized hashing when keys collide, so chosen prefixes cannot flood it.
/// </para>
/// </remarks>
internal sealed class SubscriptionTrie
{
    public static readonly SubscriptionTrie Empty = new([]);

    /// <summary>Prefix sets with at most this many distinct lengths are matched by hashing, one probe per length.</summary>
    public const int MaxHashedLengths = 4;

    /// <summary>
    /// Below this many prefixes the trie stays: a handful of prefixes is a node or two, cheaper to walk than a
    /// topic's head is to hash (a peering's usual one or two prefixes, matched on every publish).
    /// </summary>
    public const int MinHashedPrefixes = 16;

    private readonly Node _root = new();

    // When hashed: the distinct prefix lengths in ascending order (empty for the trie), and each prefix's position in
    // Prefixes (0 without everyPrefix), looked up by span.
    private readonly int[] _lengths = [];
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    internal sealed class Node
    {
        public string Source = "";
        public int Start;
        public int Length;
        public bool Terminal;
        // With everyPrefix: the terminal's position in Prefixes; -1 elsewhere.
        public int Index = -1;
        // Children sorted by their first character, which is not part of their own run.
        public char[] Keys = [];
        public Node[] Children = [];
    }

    /// <param name="prefixes">The prefixes; duplicates are allowed.</param>
    /// <param name="everyPrefix">
    /// Keep prefixes that a shorter one shadows, each terminal numbered by its position in <see cref="Prefixes"/>,
    /// for <see cref="EnumerateMatches"/>; otherwise only <see cref="Matches"/> is meaningful.
    /// </param>
    /// <param name="hashed">Tests only: force hashing (true) or the trie (false) instead of choosing by the prefixes' shape.</param>
    public SubscriptionTrie(IReadOnlyCollection<string> prefixes, bool everyPrefix = false, bool? hashed = null)
    {
        Count = prefixes.Count;
        var sorted = prefixes.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        if (everyPrefix) sorted = Distinct(sorted);
        Prefixes = everyPrefix ? sorted : [];
        if (Count == 0) return;
        var lengths = sorted.Select(p => p.Length).Distinct().Order().ToArray();
        if (hashed ?? (lengths.Length <= MaxHashedLengths && sorted.Length >= MinHashedPrefixes))
        {
            _lengths = lengths;
            var byText = new Dictionary<string, int>(sorted.Length, StringComparer.Ordinal);
            for (var i = 0; i < sorted.Length; i++) byText.TryAdd(sorted[i], i);
            _lookup = byText.GetAlternateLookup<ReadOnlySpan<char>>();
            return;
        }
        // Iterative: the chain of nodes may be as deep as a frame allows, far deeper than the call stack.
        var pending = new Stack<(Node Node, int Lo, int Hi, int Depth)>();
        pending.Push((_root, 0, sorted.Length, 0));
        while (pending.TryPop(out var item))
            Build(sorted, item.Node, item.Lo, item.Hi, item.Depth, everyPrefix, pending);
    }

    /// <summary>Prefixes given (duplicates included), for budgets and diagnostics.</summary>
    public int Count { get; }

    /// <summary>With <c>everyPrefix</c>: the distinct prefixes in ordinal order, indexed by what <see cref="EnumerateMatches"/> yields.</summary>
    public string[] Prefixes { get; }

    private static string[] Distinct(string[] sorted)
    {
        var n = 0;
        for (var i = 0; i < sorted.Length; i++)
            if (i == 0 || !string.Equals(sorted[i], sorted[n - 1], StringComparison.Ordinal)) sorted[n++] = sorted[i];
        return sorted[..n];
    }

    /// <summary>Fills <paramref name="node"/> from sorted[lo..hi), which all share their first <paramref name="depth"/> characters.</summary>
    private static void Build(string[] sorted, Node node, int lo, int hi, int depth, bool everyPrefix, Stack<(Node, int, int, int)> pending)
    {
        // In sorted order the range's common prefix is that of its first and last strings.
        var first = sorted[lo];
        var last = sorted[hi - 1];
        var common = depth + first.AsSpan(depth).CommonPrefixLength(last.AsSpan(depth));
        node.Source = first;
        node.Start = depth;
        node.Length = common - depth;
        if (first.Length == common)
        {
            // The shortest string is the common prefix itself: it matches everything below.
            node.Terminal = true;
            if (!everyPrefix) return;
            node.Index = lo; // distinct and sorted: the shortest is alone at lo, the longer ones follow
            lo++;
            if (lo == hi) return;
        }
        var groups = 0;
        for (var i = lo; i < hi; i++)
            if (i == lo || sorted[i][common] != sorted[i - 1][common]) groups++;
        node.Keys = new char[groups];
        node.Children = new Node[groups];
        var g = 0;
        var start = lo;
        for (var i = lo + 1; i <= hi; i++)
        {
            if (i < hi && sorted[i][common] == sorted[start][common]) continue;
            var child = new Node();
            node.Keys[g] = sorted[start][common];
            node.Children[g] = child;
            g++;
            pending.Push((child, start, i, common + 1));
            start = i;
        }
    }

    /// <summary>True when some prefix is a prefix of <paramref name="topic"/> (ordinal); the empty prefix matches all.</summary>
    public bool Matches(string topic)
    {
        if (Count == 0) return false;
        if (IsHashed)
        {
            foreach (var length in _lengths)
            {
                if (length > topic.Length) return false;
                if (_lookup.ContainsKey(topic.AsSpan(0, length))) return true;
            }
            return false;
        }
        var node = _root;
        var position = 0;
        while (true)
        {
            if (!RunMatches(node, topic, position)) return false;
            position += node.Length;
            if (node.Terminal) return true;
            if (!TryStep(node, topic, ref position, out node)) return false;
        }
    }

    /// <summary>Whether <paramref name="topic"/> continues at <paramref name="position"/> with the node's run (often empty below a branch).</summary>
    private static bool RunMatches(Node node, string topic, int position) =>
        node.Length == 0
        || (topic.Length - position >= node.Length
            && topic.AsSpan(position, node.Length).SequenceEqual(node.Source.AsSpan(node.Start, node.Length)));

    /// <summary>The child of <paramref name="node"/> for the character at <paramref name="position"/>, which it then passes.</summary>
    private static bool TryStep(Node node, string topic, ref int position, out Node next)
    {
        next = node;
        if (position == topic.Length) return false;
        var keys = node.Keys;
        var c = topic[position];
        // Keys are sorted and distinct: a short array is searched fastest by the vectorized IndexOf, a long one by halving.
        var index = keys.Length <= 32 ? keys.AsSpan().IndexOf(c) : keys.AsSpan().BinarySearch(c);
        if (index < 0) return false;
        next = node.Children[index];
        position++;
        return true;
    }

    /// <summary>
    /// With <c>everyPrefix</c>: the positions in <see cref="Prefixes"/> of every prefix of <paramref name="topic"/>,
    /// shortest first, found in one walk of the topic (O(topic length) plus the matches); allocates nothing.
    /// </summary>
    public MatchEnumerator EnumerateMatches(string topic) => new(Count == 0 ? null : this, topic);

    /// <summary>Whether this set matches by hashing (few distinct lengths) rather than by walking the trie.</summary>
    internal bool IsHashed => _lengths.Length > 0; // a hashed set has at least one prefix, so one length

    /// <summary>Walks a topic down the trie, yielding each terminal passed; a struct so a publish allocates nothing.</summary>
    public struct MatchEnumerator
    {
        private readonly string _topic;
        private readonly SubscriptionTrie? _hashed;
        private Node? _node;
        // The trie's position in the topic, or with hashing the next length to probe.
        private int _position;

        internal MatchEnumerator(SubscriptionTrie? set, string topic)
        {
            _hashed = set is { IsHashed: true } ? set : null;
            _node = _hashed is null ? set?._root : null;
            _topic = topic;
            _position = 0;
            Current = -1;
        }

        /// <summary>The position in <see cref="Prefixes"/> of the prefix just matched.</summary>
        public int Current { get; private set; }

        public readonly MatchEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_hashed is { } set)
            {
                while (_position < set._lengths.Length)
                {
                    var length = set._lengths[_position++];
                    if (length > _topic.Length)
                    {
                        _position = set._lengths.Length;
                        return false;
                    }
                    if (set._lookup.TryGetValue(_topic.AsSpan(0, length), out var index))
                    {
                        Current = index;
                        return true;
                    }
                }
                return false;
            }
            while (_node is { } node)
            {
                if (!RunMatches(node, _topic, _position))
                {
                    _node = null;
                    return false;
                }
                _position += node.Length;
                _node = TryStep(node, _topic, ref _position, out var next) ? next : null;
                if (node.Index >= 0)
                {
                    Current = node.Index;
                    return true;
                }
            }
            return false;
        }
    }
}
