namespace Spillway.Engine.Peering;

/// <summary>What sits at the far end of a send buffer.</summary>
public enum SubscriberKind
{
    /// <summary>Another endpoint over a TCP peering.</summary>
    Peer,
    /// <summary>An external client (e.g. a WebSocket client) with an ephemeral id and no node name.</summary>
    Client,
}
