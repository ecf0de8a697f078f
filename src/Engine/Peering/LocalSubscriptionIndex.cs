namespace Spillway.Engine.Peering;

/// <summary>
/// The local subscriptions as an immutable index: a <see cref="SubscriptionTrie"/> of their distinct prefixes and,
/// per prefix, the subscriptions holding it. A publish walks the topic once (O(topic length) plus the handlers
/// it calls) whatever the number of subscriptions, allocates nothing and takes no lock. Rebuilt on every
/// subscribe or unsubscribe, under the registry's lock, off the publish path.
/// </summary>
internal sealed class LocalSubscriptionIndex
{
    public static readonly LocalSubscriptionIndex Empty = new([]);

    private readonly SubscriptionTrie _trie;
    private readonly LocalSubscription[][] _byPrefix;

    public LocalSubscriptionIndex(LocalSubscription[] subscriptions)
    {
        All = subscriptions;
        _trie = new SubscriptionTrie(subscriptions.Select(s => s.Prefix).ToArray(), everyPrefix: true);
        var position = new Dictionary<string, int>(_trie.Prefixes.Length, StringComparer.Ordinal);
        for (var i = 0; i < _trie.Prefixes.Length; i++) position.Add(_trie.Prefixes[i], i);
        var groups = new List<LocalSubscription>?[_trie.Prefixes.Length];
        foreach (var s in subscriptions) (groups[position[s.Prefix]] ??= []).Add(s);
        _byPrefix = groups.Select(g => g!.ToArray()).ToArray();
    }

    /// <summary>Every local subscription, in the order they were made.</summary>
    public LocalSubscription[] All { get; }

    public LocalSubscriptionIndex Without(LocalSubscription subscription) =>
        new(All.Where(s => !ReferenceEquals(s, subscription)).ToArray());

    /// <summary>The subscriptions whose prefix starts <paramref name="topic"/>, one group per matching prefix, shortest prefix first.</summary>
    public Enumerator Match(string topic) => new(this, topic);

    /// <summary>Yields one group (the subscriptions of one matching prefix) at a time; a struct so a publish allocates nothing.</summary>
    public struct Enumerator(LocalSubscriptionIndex index, string topic)
    {
        private SubscriptionTrie.MatchEnumerator _matches = index._trie.EnumerateMatches(topic);

        public readonly LocalSubscription[] Current => index._byPrefix[_matches.Current];

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext() => _matches.MoveNext();
    }
}
