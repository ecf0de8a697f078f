using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>
/// Who receives what: the live peerings and clients, the local subscriptions, and the prefix set this
/// endpoint announces to its peers. Mutated under one lock; the publish path reads the immutable
/// snapshots <see cref="Subscribers"/> and <see cref="LocalSubscriptions"/> without it.
/// </summary>
internal sealed class SubscriberRegistry
{
    private readonly Lock _lock = new();
    private volatile RemoteSubscriber[] _subscribers = [];
    private volatile LocalSubscription[] _localSubscriptions = [];
    private readonly Dictionary<EndpointId, RemoteSubscriber> _byId = new();
    private string[] _announced = [];
    private int _announcedVersion;
    private bool _closed;

    /// <summary>Every live peering and client; an immutable snapshot.</summary>
    public RemoteSubscriber[] Subscribers => _subscribers;

    /// <summary>Every local subscription; an immutable snapshot.</summary>
    public LocalSubscription[] LocalSubscriptions => _localSubscriptions;

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

    public void AddClient(ClientSubscriber client)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            _byId.Add(client.Id, client);
            _subscribers = [.. _subscribers, client];
        }
    }

    public void Remove(RemoteSubscriber subscriber)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(subscriber.Id, out var registered) && ReferenceEquals(registered, subscriber))
                _byId.Remove(subscriber.Id);
            _subscribers = _subscribers.Where(s => !ReferenceEquals(s, subscriber)).ToArray();
        }
    }

    public bool TryGet(EndpointId id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RemoteSubscriber? subscriber)
    {
        lock (_lock) return _byId.TryGetValue(id, out subscriber);
    }

    public void AddLocal(LocalSubscription subscription)
    {
        lock (_lock) _localSubscriptions = [.. _localSubscriptions, subscription];
    }

    public void RemoveLocal(LocalSubscription subscription)
    {
        lock (_lock) _localSubscriptions = _localSubscriptions.Where(s => !ReferenceEquals(s, subscription)).ToArray();
    }

    /// <summary>
    /// Recomputes the announced prefix set (local subscriptions and clients' subscriptions); returns false
    /// when it did not change, else the new set and the subscribers to tell.
    /// </summary>
    public bool TryUpdateAnnouncement(out string[] announced, out RemoteSubscriber[] subscribers)
    {
        lock (_lock)
        {
            var current = _localSubscriptions.Select(s => s.Prefix)
                .Concat(_subscribers.Where(s => s.Kind == SubscriberKind.Client).SelectMany(s => s.Subscriptions))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            announced = current;
            subscribers = _subscribers;
            if (current.AsSpan().SequenceEqual(_announced)) return false;
            _announced = current;
            _announcedVersion++;
            return true;
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
