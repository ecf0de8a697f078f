using Spillway.Engine.Buffers;
using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>One row of <see cref="SpillwayEndpoint.GetPeeringStats"/>: a peering's or client's buffer statistics.
/// <see cref="Peer"/> identifies the peering instance (the same object as in its lifecycle events).</summary>
/// <param name="EndpointId">The remote endpoint id (ephemeral for a client).</param>
/// <param name="Kind">Peer or client.</param>
/// <param name="Direction">Who dialed.</param>
/// <param name="RemoteAddress">The remote socket address.</param>
/// <param name="Capacity">The buffer's capacity in messages.</param>
/// <param name="Policy">The buffer's overflow policy.</param>
/// <param name="Queued">Messages queued now.</param>
/// <param name="RecentMax">The highest queued within the stats window.</param>
/// <param name="Overflows">Pushes that found the buffer full, since the peering began.</param>
/// <param name="Offered">Every push the buffer saw, queued or dropped, since the peering began.</param>
/// <param name="Peer">The peering instance.</param>
/// <param name="QueuedBytes">Bytes queued now, held against the buffer's byte bound.</param>
public readonly record struct PeeringStats(
    EndpointId EndpointId,
    SubscriberKind Kind,
    PeeringDirection Direction,
    string RemoteAddress,
    int Capacity,
    OverflowPolicy Policy,
    int Queued,
    int RecentMax,
    long Overflows,
    long Offered,
    PeerInfo Peer,
    long QueuedBytes = 0);
