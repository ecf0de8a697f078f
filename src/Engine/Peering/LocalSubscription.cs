using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>A handler subscribed to a topic prefix on this endpoint; dispose to unsubscribe.</summary>
internal sealed class LocalSubscription(Endpoint endpoint, string prefix, Action<string, Value> handler) : IDisposable
{
    private int _disposed;
    public string Prefix { get; } = prefix;
    public Action<string, Value> Handler { get; } = handler;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) endpoint.Unsubscribe(this);
    }
}
