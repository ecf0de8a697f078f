using Spillway.Engine.Peering;
using Spillway.Telemetry.Export;

namespace Spillway.Telemetry.Naming;

/// <summary>
/// Keeps the exported counters monotonic per peer name across re-peerings, reconnects and new endpoint
/// ids. The engine's overflow count starts from zero with every peering; the ledger adds each ended
/// peering's final count to its name's retired total. A peering that has left the stats table but whose
/// end event has not arrived yet still counts with the last value seen, so no scrape sees a dip.
/// Not thread-safe: <see cref="NodeTelemetry"/> serializes access.
/// </summary>
internal sealed class PeerCounterLedger
{
    private readonly Dictionary<string, long> _retiredOverflows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _disconnects = new(StringComparer.Ordinal);
    private readonly Dictionary<PeerInfo, (string Name, long LastSeen)> _named = new(ReferenceEqualityComparer.Instance);

    /// <summary>A peering got its name: its counters exist from now on, starting at zero for a new name.</summary>
    public void OnNamed(PeerInfo peering, string name)
    {
        _retiredOverflows.TryAdd(name, 0);
        _disconnects.TryAdd(name, 0);
        _named.TryAdd(peering, (name, 0));
    }

    /// <summary>The engine reports <paramref name="overflows"/> for a live peering.</summary>
    public void OnObserved(PeerInfo peering, long overflows)
    {
        if (_named.TryGetValue(peering, out var entry) && overflows > entry.LastSeen)
            _named[peering] = (entry.Name, overflows);
    }

    /// <summary>A peering ended with <paramref name="finalOverflows"/>; its total moves to its name's retired sum.</summary>
    public void OnEnded(PeerInfo peering, long finalOverflows)
    {
        if (_named.Remove(peering, out var entry))
            _retiredOverflows[entry.Name] += Math.Max(finalOverflows, entry.LastSeen);
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
        foreach (var (name, retired) in _retiredOverflows)
        {
            var total = retired;
            foreach (var entry in _named.Values)
                if (entry.Name == name) total += entry.LastSeen;
            snapshot.PeerOverflows.Add(new PeerCounter(name, total));
        }
        foreach (var (name, count) in _disconnects)
            snapshot.BackpressureDisconnects.Add(new PeerCounter(name, count));
    }
}
