namespace Spillway.Engine.Peering;

/// <summary>
/// Which budget a connection, peering or client exceeded. A fixed set: the metric
/// <c>spillway_connections_refused_total</c> has one series per value, so its labels stay bounded whatever
/// the remote sends. Closes for these carry <see cref="CloseReason.BudgetExceeded"/>.
/// </summary>
public enum RefusalReason
{
    /// <summary>The node already held <see cref="EndpointOptions.MaxConnections"/> inbound connections.</summary>
    NodeConnections,
    /// <summary>The remote address already held <see cref="EndpointOptions.MaxConnectionsPerAddress"/> inbound connections.</summary>
    AddressConnections,
    /// <summary>A frame before the hello exchange completed was larger than <see cref="EndpointOptions.HandshakeMaxBytes"/>.</summary>
    HandshakeBytes,
    /// <summary>A frame after the hello exchange was larger than <see cref="EndpointOptions.MaxFrameSize"/>.</summary>
    FrameSize,
    /// <summary>A started frame did not arrive completely within <see cref="EndpointOptions.FrameReadTimeout"/>.</summary>
    FrameTimeout,
    /// <summary>A peer or client subscribed to more than <see cref="EndpointOptions.MaxSubscriptions"/> topic prefixes.</summary>
    Subscriptions,
}
