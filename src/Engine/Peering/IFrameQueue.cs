namespace Spillway.Engine.Peering;

/// <summary>Where <see cref="PublishEncoding"/> queues a peering's frame: its send buffer (<see cref="PeerConnection"/>).</summary>
internal interface IFrameQueue
{
    /// <summary>
    /// Queues a frame (<see cref="QueuedFrame"/>: a <see cref="DeferredFrame"/> or a container's encoded <c>byte[]</c>,
    /// either shared with other peerings).
    /// </summary>
    void Enqueue(object frame);
}
