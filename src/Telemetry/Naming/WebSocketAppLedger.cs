using Spillway.Engine.Peering;
using Spillway.Telemetry.Export;

namespace Spillway.Telemetry.Naming;

/// <summary>
/// The <c>app</c> label of the WebSocket aggregates: maps each client's application name to a label value, at most
/// <see cref="MaxNamedLabels"/> distinct names per node (first seen, first labelled; every later name is
/// <see cref="Other"/>), and keeps each label's overflow counter monotonic as clients come and go. A label once given
/// stays for the life of the process, so its counter never disappears and its gauges read 0 when no client is there.
/// Not thread-safe: <see cref="NodeTelemetry"/> serializes access.
/// </summary>
/// <remarks>
/// Like <see cref="PeerCounterLedger"/>: a live client counts with the highest overflow count seen for it; when its
/// leave event arrives, the larger of that and its final count moves to its label's retired sum. A client that has left
/// the stats table but whose event is still queued keeps counting with its last seen value, so no scrape sees a dip.
/// </remarks>
internal sealed class WebSocketAppLedger
{
    /// <summary>The label of clients that gave no name (Zeek's word for them).</summary>
    public const string Unknown = MetricNames.UnknownApp;
    /// <summary>The label shared by every name beyond the cap.</summary>
    public const string Other = MetricNames.OtherApp;

    private readonly Dictionary<string, long> _retired = new(StringComparer.Ordinal) { [Unknown] = 0 };
    private readonly List<string> _labels = [Unknown];
    private readonly Dictionary<PeerInfo, (string Label, long LastSeen)> _live = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, (int Clients, int RecentMax)> _gauges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _liveOverflows = new(StringComparer.Ordinal);
    private int _named;

    public WebSocketAppLedger(int maxNamedLabels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxNamedLabels);
        MaxNamedLabels = maxNamedLabels;
    }

    /// <summary>Distinct client-given names labelled as themselves; <see cref="Unknown"/> and <see cref="Other"/> do not count.</summary>
    public int MaxNamedLabels { get; }

    /// <summary>The label of <paramref name="application"/>, giving it one of the free slots if it has none yet.</summary>
    public string LabelOf(string? application)
    {
        if (application is null or Unknown) return Unknown;
        if (_retired.ContainsKey(application)) return application;
        var label = application;
        if (application != Other)
        {
            if (_named >= MaxNamedLabels) label = Other;
            else _named++;
        }
        if (_retired.TryAdd(label, 0)) _labels.Add(label);
        return label;
    }

    /// <summary>Starts one scrape: the gauges are recounted from the stats table.</summary>
    public void BeginFill() => _gauges.Clear();

    /// <summary>One live client row of the stats table.</summary>
    public void Observe(in PeeringStats client)
    {
        string label;
        if (_live.TryGetValue(client.Peer, out var entry))
        {
            label = entry.Label;
            _live[client.Peer] = (label, Math.Max(entry.LastSeen, client.Overflows));
        }
        else
        {
            label = LabelOf(client.Peer.Application);
            _live[client.Peer] = (label, client.Overflows);
        }
        var g = _gauges.GetValueOrDefault(label);
        _gauges[label] = (g.Clients + 1, Math.Max(g.RecentMax, client.RecentMax));
    }

    /// <summary>A client left with <paramref name="finalOverflows"/>: its count moves to its label's retired sum.</summary>
    public void OnLeft(PeerInfo client, long finalOverflows)
    {
        if (_live.Remove(client, out var entry))
            _retired[entry.Label] += Math.Max(entry.LastSeen, finalOverflows);
        else if (finalOverflows > 0)
            _retired[LabelOf(client.Application)] += finalOverflows;
    }

    /// <summary>One row per label ever given: the gauges of this scrape and the monotonic overflow counter.</summary>
    public void Fill(List<WebSocketAppAggregates> destination)
    {
        _liveOverflows.Clear();
        foreach (var (label, lastSeen) in _live.Values)
            _liveOverflows[label] = _liveOverflows.GetValueOrDefault(label) + lastSeen;
        foreach (var label in _labels)
        {
            var g = _gauges.GetValueOrDefault(label);
            destination.Add(new WebSocketAppAggregates(label, g.Clients, g.RecentMax,
                _retired[label] + _liveOverflows.GetValueOrDefault(label)));
        }
    }
}
