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
/// cannot make it bigger than the frame that carried the prefixes. A prefix shadows every longer prefix
/// that starts with it, so those take no nodes at all.
/// </remarks>
internal sealed class SubscriptionTrie
{
    public static readonly SubscriptionTrie Empty = new([]);

    private readonly Node _root = new();

    private sealed class Node
    {
        public string Source = "";
        public int Start;
        public int Length;
        public bool Terminal;
        // Children sorted by their first character, which is not part of their own run.
        public char[] Keys = [];
        public Node[] Children = [];
    }

    public SubscriptionTrie(IReadOnlyCollection<string> prefixes)
    {
        Count = prefixes.Count;
        if (Count == 0) return;
        var sorted = prefixes.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        // Iterative: the chain of nodes may be as deep as a frame allows, far deeper than the call stack.
        var pending = new Stack<(Node Node, int Lo, int Hi, int Depth)>();
        pending.Push((_root, 0, sorted.Length, 0));
        while (pending.TryPop(out var item))
            Build(sorted, item.Node, item.Lo, item.Hi, item.Depth, pending);
    }

    /// <summary>Prefixes given (duplicates included), for budgets and diagnostics.</summary>
    public int Count { get; }

    /// <summary>Fills <paramref name="node"/> from sorted[lo..hi), which all share their first <paramref name="depth"/> characters.</summary>
    private static void Build(string[] sorted, Node node, int lo, int hi, int depth, Stack<(Node, int, int, int)> pending)
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
            node.Terminal = true; // the shortest string is the common prefix itself: it matches everything below
            return;
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
        var node = _root;
        var position = 0;
        while (true)
        {
            if (topic.Length - position < node.Length
                || !topic.AsSpan(position, node.Length).SequenceEqual(node.Source.AsSpan(node.Start, node.Length)))
                return false;
            position += node.Length;
            if (node.Terminal) return true;
            if (position == topic.Length) return false;
            var keys = node.Keys;
            var c = topic[position];
            var index = keys.Length == 1 ? (keys[0] == c ? 0 : -1) : keys.AsSpan().BinarySearch(c);
            if (index < 0) return false;
            node = node.Children[index];
            position++;
        }
    }
}
