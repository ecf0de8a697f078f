using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>
/// Who receives what: the live peerings and clients, the local subscriptions, and the prefix set this
/// endpoint announces to its peers. Mutated under one lock; the publish path reads the immutable
/// snapshots <see cref="Subscribers"/> and <see cref="LocalSubscriptions"/> without it.
/// </summary>
/// <remarks>
/// The announced set is the union of the local subscriptions' and the clients' prefixes, kept as a count of
/// holders per prefix so a client can be refused when it would push the union past the node's cap
/// (<see cref="EndpointOptions.MaxLocalSubscriptions"/>) without rescanning everyone.
/// </remarks>
internal sealed class SubscriberRegistry
{
    private readonly Lock _lock = new();
    private volatile RemoteSubscriber[] _subscribers = [];
    private volatile ClientSubscriber[] _clients = [];
    private volatile LocalSubscriptionIndex _localSubscriptions = LocalSubscriptionIndex.Empty;
    private readonly Dictionary<string, int> _holders = new(StringComparer.Ordinal);
    private readonly Dictionary<EndpointId, RemoteSubscriber> _byId = new();
    private string[] _announced = [];
    private int _announcedVersion;
    private bool _closed;

    /// <summary>Every live peering and client; an immutable snapshot.</summary>
    public RemoteSubscriber[] Subscribers => _subscribers;

    /// <summary>
    /// The clients alone; an immutable snapshot. A message from a peer is offered to clients only, so the read loops
    /// walk this, not every peering: walking them all made a 64-byte message cost 1.6-2.5x as much to receive at 64
    /// peerings as at one (docs/design.md §11).
    /// </summary>
    public ClientSubscriber[] Clients => _clients;

    /// <summary>Every local subscription, indexed by prefix; an immutable snapshot.</summary>
    public LocalSubscriptionIndex LocalSubscriptions => _localSubscriptions;

    public string[] Announced { get { lock (_lock) return _announced; } }

    /// <summary>The announced set and its version, read together, for a hello about to be sent.</summary>
    public (int Version, string[] Announced) ReadAnnouncement()
    {
        lock (_lock) return (_announcedVersion, _announced);
    }

    /// <summary>
    /// Registers a peering unless its endpoint id is already registered. <paramref name="catchUp"/> is the
    /// current announced set when it changed since <paramref name="versionSent"/> (the hello went out stale).
    /// </summary>
    public bool TryAddPeer(PeerConnection peer, int versionSent, out string[]? catchUp)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            catchUp = null;
            if (!_byId.TryAdd(peer.Id, peer)) return false;
            _subscribers = [.. _subscribers, peer];
            if (_announcedVersion != versionSent) catchUp = _announced;
            return true;
        }
    }

    /// <summary>
    /// Registers a client unless its prefixes would make the announced set hold more than
    /// <paramref name="maxAnnounced"/> distinct prefixes; then <paramref name="announcedAfter"/> says how many it would.
    /// </summary>
    public bool TryAddClient(ClientSubscriber client, int maxAnnounced, out int announcedAfter)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            Hold(client.Subscriptions);
            announcedAfter = _holders.Count;
            if (announcedAfter > maxAnnounced)
            {
                Release(client.Subscriptions);
                return false;
            }
            _byId.Add(client.Id, client);
            _subscribers = [.. _subscribers, client];
            _clients = [.. _clients, client];
            return true;
        }
    }

    public void Remove(RemoteSubscriber subscriber)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(subscriber.Id, out var registered) && ReferenceEquals(registered, subscriber))
                _byId.Remove(subscriber.Id);
            var remaining = _subscribers.Where(s => !ReferenceEquals(s, subscriber)).ToArray();
            // Only a client that was registered holds announced prefixes (its list never changes after attach).
            if (remaining.Length != _subscribers.Length && subscriber is ClientSubscriber client)
            {
                Release(client.Subscriptions);
                _clients = _clients.Where(c => !ReferenceEquals(c, client)).ToArray();
            }
            _subscribers = remaining;
        }
    }

    public bool TryGet(EndpointId id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RemoteSubscriber? subscriber)
    {
        lock (_lock) return _byId.TryGetValue(id, out subscriber);
    }

    public void AddLocal(IReadOnlyList<LocalSubscription> subscriptions)
    {
        lock (_lock)
        {
            _localSubscriptions = new LocalSubscriptionIndex([.. _localSubscriptions.All, .. subscriptions]);
            Hold(subscriptions.Select(s => s.Prefix));
        }
    }

    public void RemoveLocal(LocalSubscription subscription)
    {
        lock (_lock)
        {
            var before = _localSubscriptions;
            _localSubscriptions = before.Without(subscription);
            if (_localSubscriptions.All.Length != before.All.Length) Release([subscription.Prefix]);
        }
    }

    /// <summary>
    /// Recomputes the announced prefix set (local subscriptions and clients' subscriptions); returns false
    /// when it did not change, else the new set and the subscribers to tell.
    /// </summary>
    public bool TryUpdateAnnouncement(out string[] announced, out RemoteSubscriber[] subscribers)
    {
        lock (_lock)
        {
            var current = _holders.Keys.ToArray();
            Array.Sort(current, StringComparer.Ordinal);
            announced = current;
            subscribers = _subscribers;
            if (current.AsSpan().SequenceEqual(_announced)) return false;
            _announced = current;
            _announcedVersion++;
            return true;
        }
    }

    private void Hold(IEnumerable<string> prefixes)
    {
        foreach (var prefix in prefixes) _holders[prefix] = _holders.GetValueOrDefault(prefix) + 1;
    }

    private void Release(IEnumerable<string> prefixes)
    {
        foreach (var prefix in prefixes)
        {
            var held = _holders[prefix] - 1;
            if (held == 0) _holders.Remove(prefix);
            else _holders[prefix] = held;
        }
    }

    /// <summary>Refuses registrations from now on (shutdown) and returns who is registered.</summary>
    public RemoteSubscriber[] Close()
    {
        lock (_lock)
        {
            _closed = true;
            return _subscribers;
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed) throw new ObjectDisposedException(nameof(SpillwayEndpoint), "the endpoint is shutting down");
    }
}
