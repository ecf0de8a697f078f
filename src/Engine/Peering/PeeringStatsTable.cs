using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>
/// The per-peering statistics keyed by remote endpoint id. The endpoint owns one table and refills it in
/// place on every <see cref="SpillwayEndpoint.GetPeeringStats"/> call, so a steady-state request allocates
/// nothing; a table's contents are valid until the next call. Enumerate <see cref="Rows"/> for an
/// allocation-free loop.
/// </summary>
public sealed class PeeringStatsTable : IReadOnlyDictionary<EndpointId, PeeringStats>
{
    private readonly Dictionary<EndpointId, PeeringStats> _rows = new();
    private readonly List<EndpointId> _stale = new();
    private readonly HashSet<EndpointId> _seen = new();

    /// <summary>The rows, for an allocation-free <c>foreach</c>.</summary>
    public Dictionary<EndpointId, PeeringStats>.ValueCollection Rows => _rows.Values;

    internal void BeginRefresh() => _seen.Clear();

    internal void Set(in PeeringStats row)
    {
        _rows[row.EndpointId] = row;
        _seen.Add(row.EndpointId);
    }

    /// <summary>Drops the rows not set since <see cref="BeginRefresh"/>: peerings that have departed.</summary>
    internal void EndRefresh()
    {
        foreach (var id in _rows.Keys)
            if (!_seen.Contains(id)) _stale.Add(id);
        foreach (var id in _stale) _rows.Remove(id);
        _stale.Clear();
    }

    /// <inheritdoc/>
    public PeeringStats this[EndpointId key] => _rows[key];
    /// <inheritdoc/>
    public IEnumerable<EndpointId> Keys => _rows.Keys;
    /// <inheritdoc/>
    public IEnumerable<PeeringStats> Values => _rows.Values;
    /// <inheritdoc/>
    public int Count => _rows.Count;
    /// <inheritdoc/>
    public bool ContainsKey(EndpointId key) => _rows.ContainsKey(key);
    /// <inheritdoc/>
    public bool TryGetValue(EndpointId key, [MaybeNullWhen(false)] out PeeringStats value) => _rows.TryGetValue(key, out value);
    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<EndpointId, PeeringStats>> GetEnumerator() => _rows.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
