namespace Spillway.Engine.Peering;

/// <summary>
/// One topic matched against the subscribers of a publish in turn, remembering the last matcher's answer: subscribers
/// with equal prefix sets share a matcher (<see cref="SharedSubscriptionTries"/>), so a run of them costs one match.
/// At 64 peers a trie walk per peer was 5-7 ns of the 35 ns each added peer cost the publishing thread.
/// Lives on the publishing thread's stack; nothing is shared or written elsewhere.
/// </summary>
internal struct RunMatch(string topic)
{
    private SubscriptionTrie? _last;
    private bool _lastMatched;

    public bool Matches(SubscriptionTrie matcher)
    {
        if (!ReferenceEquals(matcher, _last))
        {
            _last = matcher;
            _lastMatched = matcher.Matches(topic);
        }
        return _lastMatched;
    }
}
