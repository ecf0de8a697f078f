using Prometheus;

namespace Spillway.Telemetry.Export;

/// <summary>
/// The prometheus-net side: its own <see cref="CollectorRegistry"/> (never the default registry, no MeterAdapter or
/// EventCounterAdapter) with gauges and counters named as in <see cref="MetricNames"/>. A before-collect callback
/// copies the <see cref="ScrapeSnapshot"/> into them and removes the series the snapshot no longer lists, so gauges of
/// departed peers disappear and counters stay as long as the snapshot lists them.
/// </summary>
public sealed class PrometheusNetMetrics
{
    private static readonly string[] PeerLabels = [MetricNames.NodeLabel, MetricNames.PeerLabel];
    private static readonly string[] AppLabels = [MetricNames.NodeLabel, MetricNames.AppLabel];
    private static readonly string[] ReasonLabels = [MetricNames.NodeLabel, MetricNames.ReasonLabel];

    private readonly Lock _gate = new();
    private readonly ScrapeSnapshot _snapshot;

    private readonly PrometheusNetPeerSeries<Gauge.Child> _buffer;
    private readonly PrometheusNetPeerSeries<Gauge.Child> _recentMax;
    private readonly PrometheusNetPeerSeries<Gauge.Child> _capacity;
    private readonly PrometheusNetPeerSeries<Counter.Child> _overflows;
    private readonly PrometheusNetPeerSeries<Counter.Child> _offered;
    private readonly PrometheusNetPeerSeries<Counter.Child> _disconnects;
    private readonly PrometheusNetPeerSeries<Counter.Child> _discarded;
    private readonly PrometheusNetPeerSeries<Gauge.Child> _wsClients;
    private readonly PrometheusNetPeerSeries<Gauge.Child> _wsRecentMax;
    private readonly PrometheusNetPeerSeries<Counter.Child> _wsOverflows;
    private readonly PrometheusNetPeerSeries<Counter.Child> _refused;

    public PrometheusNetMetrics(ScrapeSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _snapshot = snapshot;
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);

        _buffer = new(factory.CreateGauge(MetricNames.PeerBufferMessages, MetricNames.PeerBufferMessagesHelp, PeerLabels));
        _recentMax = new(factory.CreateGauge(MetricNames.PeerBufferRecentMaxMessages, MetricNames.PeerBufferRecentMaxMessagesHelp, PeerLabels));
        _overflows = new(factory.CreateCounter(MetricNames.PeerBufferOverflowsTotal, MetricNames.PeerBufferOverflowsHelp, PeerLabels));
        _offered = new(factory.CreateCounter(MetricNames.PeerMessagesOfferedTotal, MetricNames.PeerMessagesOfferedHelp, PeerLabels));
        _disconnects = new(factory.CreateCounter(MetricNames.BackpressureDisconnectsTotal, MetricNames.BackpressureDisconnectsHelp, PeerLabels));
        _discarded = new(factory.CreateCounter(MetricNames.PeerMessagesDiscardedTotal, MetricNames.PeerMessagesDiscardedHelp, PeerLabels));
        _capacity = new(factory.CreateGauge(MetricNames.PeerBufferCapacityMessages, MetricNames.PeerBufferCapacityMessagesHelp, PeerLabels));
        // The app and reason labels take the place of peer: the series bookkeeping is the same.
        _wsClients = new(factory.CreateGauge(MetricNames.WebSocketClients, MetricNames.WebSocketClientsHelp, AppLabels));
        _wsRecentMax = new(factory.CreateGauge(MetricNames.WebSocketClientBufferRecentMaxMessages, MetricNames.WebSocketClientBufferRecentMaxMessagesHelp, AppLabels));
        _wsOverflows = new(factory.CreateCounter(MetricNames.WebSocketClientBufferOverflowsTotal, MetricNames.WebSocketClientBufferOverflowsHelp, AppLabels));
        _refused = new(factory.CreateCounter(MetricNames.ConnectionsRefusedTotal, MetricNames.ConnectionsRefusedHelp, ReasonLabels));

        Registry.AddBeforeCollectCallback(Update);
    }

    /// <summary>The registry to serve; holds only Spillway's families.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Copies the current snapshot into the registry (what the before-collect callback does).</summary>
    public void Update()
    {
        lock (_gate)
            _snapshot.Read(this, static (s, self) => { self.Apply(s); return true; });
    }

    private void Apply(TelemetrySnapshot s)
    {
        string node = s.NodeName;

        _buffer.Begin(); _recentMax.Begin(); _capacity.Begin();
        foreach (var g in s.PeerBuffers)
        {
            _buffer.Child(node, g.Peer).Set(g.Queued);
            _recentMax.Child(node, g.Peer).Set(g.RecentMax);
            _capacity.Child(node, g.Peer).Set(g.Capacity);
        }
        _buffer.End(); _recentMax.End(); _capacity.End();

        ApplyCounters(_overflows, node, s.PeerOverflows);
        ApplyCounters(_offered, node, s.PeerOffered);
        ApplyCounters(_disconnects, node, s.BackpressureDisconnects);
        ApplyCounters(_discarded, node, s.PeerDiscarded);
        _refused.Begin();
        foreach (var c in s.ConnectionsRefused)
            _refused.SetCounter(node, c.Reason, c.Value);
        _refused.End();

        _wsClients.Begin(); _wsRecentMax.Begin(); _wsOverflows.Begin();
        foreach (var a in s.WebSocketApps)
        {
            _wsClients.Child(node, a.App).Set(a.Clients);
            _wsRecentMax.Child(node, a.App).Set(a.RecentMax);
            _wsOverflows.SetCounter(node, a.App, a.Overflows);
        }
        _wsClients.End(); _wsRecentMax.End(); _wsOverflows.End();
    }

    private static void ApplyCounters(PrometheusNetPeerSeries<Counter.Child> family, string node, List<PeerCounter> counters)
    {
        family.Begin();
        foreach (var c in counters)
            family.SetCounter(node, c.Peer, c.Value);
        family.End();
    }
}
