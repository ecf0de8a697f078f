namespace Spillway.Engine.Peering;

/// <summary>
/// Monotonic counts of refusals per <see cref="RefusalReason"/>. Incremented on the refusing path only
/// (never per message); read at scrape time.
/// </summary>
public sealed class RefusalCounters
{
    private readonly long[] _counts = new long[RefusalReasonNames.All.Count];

    internal void Increment(RefusalReason reason) => Interlocked.Increment(ref _counts[(int)reason]);

    /// <summary>Refusals for <paramref name="reason"/> since the endpoint started.</summary>
    public long this[RefusalReason reason] => Interlocked.Read(ref _counts[(int)reason]);
}
