using Spillway.Engine.Peering;
using Spillway.Telemetry.Export;

namespace Spillway.Telemetry.Naming;

/// <summary>
/// Keeps the exported counters monotonic per peer name across re-peerings, reconnects and new endpoint
/// ids. The engine's overflow and offered counts start from zero with every peering; the ledger adds each
/// ended peering's final counts (and the messages discarded with its buffer) to its name's retired totals. A peering that has left the stats table but whose
/// end event has not arrived yet still counts with the last value seen, so no scrape sees a dip.
/// Not thread-safe: <see cref="NodeTelemetry"/> serializes access.
/// </summary>
internal sealed class PeerCounterLedger
{
    private readonly Dictionary<string, PeerTotals> _retired = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _disconnects = new(StringComparer.Ordinal);
    private readonly Dictionary<PeerInfo, (string Name, PeerTotals LastSeen)> _named = new(ReferenceEqualityComparer.Instance);

    /// <summary>The per-peering counters the ledger keeps monotonic per name.</summary>
    /// <remarks>Discarded is known only when a peering ends: a live peering's is always zero.</remarks>
    private readonly record struct PeerTotals(long Overflows, long Offered, long Discarded = 0)
    {
        public PeerTotals Max(PeerTotals other) =>
            new(Math.Max(Overflows, other.Overflows), Math.Max(Offered, other.Offered), Math.Max(Discarded, other.Discarded));
        public static PeerTotals operator +(PeerTotals a, PeerTotals b) =>
            new(a.Overflows + b.Overflows, a.Offered + b.Offered, a.Discarded + b.Discarded);
    }

    /// <summary>A peering got its name: its counters exist from now on, starting at zero for a new name.</summary>
    public void OnNamed(PeerInfo peering, string name)
    {
        _retired.TryAdd(name, default);
        _disconnects.TryAdd(name, 0);
        _named.TryAdd(peering, (name, default));
    }

    /// <summary>The engine reports <paramref name="overflows"/> and <paramref name="offered"/> for a live peering.</summary>
    public void OnObserved(PeerInfo peering, long overflows, long offered)
    {
        if (_named.TryGetValue(peering, out var entry))
            _named[peering] = (entry.Name, entry.LastSeen.Max(new PeerTotals(overflows, offered)));
    }

    /// <summary>
    /// A peering ended with these final counts and <paramref name="discarded"/> messages still queued; its totals move
    /// to its name's retired sums. A peering that ends unnamed has no series to count in.
    /// </summary>
    public void OnEnded(PeerInfo peering, long finalOverflows, long finalOffered, long discarded)
    {
        if (_named.Remove(peering, out var entry))
            _retired[entry.Name] += entry.LastSeen.Max(new PeerTotals(finalOverflows, finalOffered, discarded));
    }

    /// <summary>A disconnect-policy teardown, by peer name, or <see cref="MetricNames.UnknownPeer"/> when unnamed.</summary>
    public void OnBackpressureDisconnect(string? name)
    {
        var key = name ?? MetricNames.UnknownPeer;
        _disconnects[key] = _disconnects.GetValueOrDefault(key) + 1;
    }

    public long DisconnectsOf(string? name) => name is null ? 0 : _disconnects.GetValueOrDefault(name);

    public void FillCounters(TelemetrySnapshot snapshot)
    {
        foreach (var (name, retired) in _retired)
        {
            var total = retired;
            foreach (var entry in _named.Values)
                if (entry.Name == name) total += entry.LastSeen;
            snapshot.PeerOverflows.Add(new PeerCounter(name, total.Overflows));
            snapshot.PeerOffered.Add(new PeerCounter(name, total.Offered));
            snapshot.PeerDiscarded.Add(new PeerCounter(name, total.Discarded));
        }
        foreach (var (name, count) in _disconnects)
            snapshot.BackpressureDisconnects.Add(new PeerCounter(name, count));
    }
}
