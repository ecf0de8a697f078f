namespace Spillway.Node.Top;

/// <summary>The optional columns of the <c>top</c> table, in display order after the peer column.</summary>
internal enum TopColumn { Direction, Fill, QueuedCapacity, RecentMax, Overflows, Rate, Disconnects, Policy }
