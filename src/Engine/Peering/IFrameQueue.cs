namespace Spillway.Engine.Peering;

/// <summary>Where <see cref="PublishEncoding"/> queues a peering's frame: its send buffer (<see cref="PeerConnection"/>).</summary>
internal interface IFrameQueue
{
    /// <summary>Queues a frame (<see cref="QueuedFrame"/>: a shared <c>byte[]</c> or a <see cref="DeferredFrame"/>).</summary>
    void Enqueue(object frame);
}
