using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>What a client session needs from its endpoint, and no more.</summary>
internal interface IClientHost
{
    /// <summary>Publishes as a local publish, skipping <paramref name="origin"/> itself.</summary>
    int Publish(string topic, Value value, RemoteSubscriber origin);

    /// <summary>The session has closed: unregister it and fold its counters into the departed totals.</summary>
    void OnClientClosed(ClientSubscriber client, string detail);
}
