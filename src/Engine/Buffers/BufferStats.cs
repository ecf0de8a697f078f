namespace Spillway.Engine.Buffers;

/// <summary>
/// The raw statistics of one send buffer at one moment (docs/design.md). <see cref="Offered"/> counts every
/// push the open buffer saw, queued or dropped, so offered = taken out + overflows + queued.
/// </summary>
internal readonly record struct BufferStats(int Capacity, OverflowPolicy Policy, int Queued, int RecentMax, long Overflows, long Offered);
