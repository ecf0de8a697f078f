using Prometheus;

namespace Spillway.Telemetry.Export;

/// <summary>
/// A per-peer prometheus-net family plus the label sets it published at the last collect, so the sets the snapshot no
/// longer lists are removed (<see cref="Collector{TChild}.RemoveLabelled(string[])"/>, not merely unpublished).
/// Not thread-safe: used under <see cref="PrometheusNetMetrics"/>'s lock.
/// </summary>
internal sealed class PrometheusNetPeerSeries<TChild>(Collector<TChild> collector)
    where TChild : ChildBase
{
    // The children by label set: WithLabels costs a label-sequence lookup per call, about 2 us, which at 1000 peers
    // and five families is most of a collect.
    private readonly Dictionary<(string Node, string Peer), TChild> _children = new();
    private HashSet<(string Node, string Peer)> _published = new();
    private HashSet<(string Node, string Peer)> _seen = new();

    public void Begin() => _seen.Clear();

    public TChild Child(string node, string peer)
    {
        var key = (node, peer);
        _seen.Add(key);
        if (!_children.TryGetValue(key, out var child))
            _children[key] = child = collector.WithLabels(node, peer);
        return child;
    }

    private void Remove((string Node, string Peer) key)
    {
        _children.Remove(key);
        collector.RemoveLabelled(key.Node, key.Peer);
    }

    /// <summary>
    /// Sets a counter child to <paramref name="value"/> with <c>IncTo</c>. Counters are monotonic by contract, but if the
    /// source ever goes backwards (a reset) the series is recreated so the exported value is the source's, as with
    /// OpenTelemetry's observable counters, instead of <c>IncTo</c> silently keeping the old maximum.
    /// </summary>
    public void SetCounter(string node, string peer, double value)
    {
        if (Child(node, peer) is not Counter.Child counter)
            throw new InvalidOperationException("SetCounter on a family that is not a counter.");
        if (counter.Value > value)
        {
            Remove((node, peer));
            counter = (Counter.Child)(object)Child(node, peer);
        }
        counter.IncTo(value);
    }

    public void End()
    {
        foreach (var key in _published)
            if (!_seen.Contains(key))
                Remove(key);
        (_published, _seen) = (_seen, _published);
    }
}
