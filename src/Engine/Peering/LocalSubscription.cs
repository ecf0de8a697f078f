using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>A handler subscribed to a topic prefix on this endpoint; dispose to unsubscribe.</summary>
internal sealed class LocalSubscription(SpillwayEndpoint endpoint, string prefix, Action<string, Value, EndpointId?> handler) : IDisposable
{
    private int _disposed;
    public string Prefix { get; } = prefix;
    /// <summary>Receives topic, value and the peer it came from (null when published on this endpoint).</summary>
    public Action<string, Value, EndpointId?> Handler { get; } = handler;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) endpoint.Unsubscribe(this);
    }
}
