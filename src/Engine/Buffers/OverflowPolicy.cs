namespace Spillway.Engine.Buffers;

/// <summary>What a push into a full send buffer does (docs/design.md §4).</summary>
public enum OverflowPolicy
{
    /// <summary>Tear the peering down (<see cref="Peering.CloseReason.BackpressureOverflow"/>); what was queued is discarded.</summary>
    Disconnect,
    /// <summary>Remove the oldest queued message and append the new one.</summary>
    DropOldest,
    /// <summary>Discard the incoming message; the queue is unchanged.</summary>
    DropNewest,
}
