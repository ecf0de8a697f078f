using Spillway.Engine.Buffers;
using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>One row of <see cref="Endpoint.GetPeeringStats"/>: a peering's or client's buffer statistics.
/// <see cref="Peer"/> identifies the peering instance (the same object as in its lifecycle events).</summary>
public readonly record struct PeeringStats(
    EndpointId EndpointId,
    SubscriberKind Kind,
    PeeringDirection Direction,
    string RemoteAddress,
    int Capacity,
    OverflowPolicy Policy,
    int Queued,
    int MaxQueuedRecently,
    long Overflows,
    PeerInfo Peer);
