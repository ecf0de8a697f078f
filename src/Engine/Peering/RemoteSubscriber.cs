using Spillway.Engine.Buffers;
using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>
/// Anything that receives published messages through its own <see cref="SendBuffer"/>: a TCP peering or
/// an external client. Holds the remote side's subscription prefixes for matching on publish.
/// </summary>
public abstract class RemoteSubscriber
{
    private volatile string[] _subscriptions;

    private protected RemoteSubscriber(PeerInfo info, SubscriberKind kind, SendBuffer buffer, IReadOnlyList<string> subscriptions)
    {
        Info = info;
        Kind = kind;
        Buffer = buffer;
        _subscriptions = subscriptions.ToArray();
    }

    public PeerInfo Info { get; }
    public EndpointId Id => Info.EndpointId;
    public SubscriberKind Kind { get; }
    public SendBuffer Buffer { get; }
    public IReadOnlyList<string> Subscriptions => _subscriptions;

    internal void ReplaceSubscriptions(IReadOnlyList<string> subscriptions) => _subscriptions = subscriptions.ToArray();

    /// <summary>Prefix match against the remote's subscriptions; no allocation.</summary>
    public bool Matches(string topic)
    {
        foreach (var prefix in _subscriptions)
            if (topic.StartsWith(prefix, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>Called on the publishing thread when a push overflowed under the disconnect policy.</summary>
    internal abstract void OnOverflowDisconnect();

    internal PeeringStats ReadStats(long now)
    {
        var s = Buffer.GetStats(now);
        return new PeeringStats(Id, Kind, Info.Direction, Info.RemoteAddress, s.Capacity, s.Policy, s.Queued, s.MaxQueuedRecently, s.Overflows, Info);
    }
}
