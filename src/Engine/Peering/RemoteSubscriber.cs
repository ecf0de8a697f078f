using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>
/// Anything that receives published messages through its own send buffer: a TCP peering or an external
/// client. Holds the remote side's subscription prefixes for matching on publish.
/// </summary>
internal abstract class RemoteSubscriber
{
    private volatile string[] _subscriptions;
    private volatile SubscriptionTrie _matcher;

    private protected RemoteSubscriber(PeerInfo info, SubscriberKind kind, IReadOnlyList<string> subscriptions)
    {
        Info = info;
        Kind = kind;
        _subscriptions = subscriptions.ToArray();
        _matcher = SharedSubscriptionTries.For(_subscriptions);
    }

    public PeerInfo Info { get; }
    public EndpointId Id => Info.EndpointId;
    public SubscriberKind Kind { get; }
    public IReadOnlyList<string> Subscriptions => _subscriptions;

    internal void ReplaceSubscriptions(IReadOnlyList<string> subscriptions)
    {
        var list = subscriptions.ToArray();
        var matcher = SharedSubscriptionTries.For(list);
        // A publisher may read the old list with the new matcher for a moment; both are valid sets.
        _matcher = matcher;
        _subscriptions = list;
    }

    /// <summary>
    /// The remote's subscriptions as a matcher (prefix match in O(topic length) whatever their number; no allocation),
    /// the same instance for every subscriber with an equal prefix set
    /// (<see cref="SharedSubscriptionTries"/>), so a publish can match once for a run of them.
    /// </summary>
    public SubscriptionTrie Matcher => _matcher;

    /// <summary>
    /// Queues one message in this subscriber's buffer, on the publishing thread. A peering queues the item
    /// <paramref name="encoding"/> made once for every peering reached; a client queues the decoded message. A
    /// disconnect-policy overflow tears the subscriber down here.
    /// </summary>
    public abstract void Offer(string topic, Value value, EndpointId? origin, ref PublishEncoding encoding);

    /// <summary>Tears the subscriber down once; later calls are no-ops.</summary>
    public abstract void Close(CloseReason reason, string detail);

    public abstract PeeringStats ReadStats(long now);

    private protected PeeringStats ToPeeringStats(in Buffers.BufferStats s) =>
        new(Id, Kind, Info.Direction, Info.RemoteAddress, s.Capacity, s.Policy, s.Queued, s.RecentMax, s.Overflows, s.Offered, Info, s.QueuedBytes);
}
