namespace Spillway.Engine.Peering;

internal enum PeerCloseKind
{
    /// <summary>The connection broke or the remote closed it.</summary>
    Lost,
    /// <summary>This endpoint tore it down (unpeer, bad input, backpressure overflow, shutdown).</summary>
    Removed,
}
