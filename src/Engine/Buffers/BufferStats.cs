namespace Spillway.Engine.Buffers;

/// <summary>
/// The raw statistics of one send buffer at one moment (docs/design.md). <see cref="Offered"/> counts every
/// push the open buffer saw, queued or dropped, so offered = taken out + overflows + queued.
/// <see cref="QueuedBytes"/> is the sum of the queued items' sizes, held against the buffer's byte bound.
/// </summary>
internal readonly record struct BufferStats(int Capacity, OverflowPolicy Policy, int Queued, int RecentMax, long Overflows, long Offered, long QueuedBytes = 0);
