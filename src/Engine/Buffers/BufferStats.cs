namespace Spillway.Engine.Buffers;

/// <summary>The raw statistics of one send buffer at one moment (DESIGN section 5).</summary>
public readonly record struct BufferStats(int Capacity, OverflowPolicy Policy, int Queued, int MaxQueuedRecently, long Overflows);
