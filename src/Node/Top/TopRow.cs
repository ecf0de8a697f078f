namespace Spillway.Node.Top;

/// <summary>One peer row of the <c>top</c> table, already formatted (see <see cref="TopRenderer"/>).</summary>
internal sealed record TopRow(
    string Peer,
    string Direction,
    int Queued,
    int Capacity,
    string QueuedCapacity,
    string RecentMax,
    string Overflows,
    string Rate,
    string Disconnects,
    string Policy,
    bool Hot)
{
    /// <summary>Overflowed within the window or the hold time (not merely full).</summary>
    public bool Overflowing { get; init; }

    public double? RateValue { get; init; }
}
