using System.Diagnostics.Metrics;

namespace Spillway.Telemetry.Export;

/// <summary>
/// The OpenTelemetry side: one <see cref="Meter"/> named <see cref="MeterName"/> with observable instruments that read
/// the <see cref="ScrapeSnapshot"/> at collect time. Instrument names are the scraped names from
/// <see cref="MetricNames"/>, counters without their <c>_total</c> (the Prometheus exporter appends it), and no unit
/// (so no unit suffix is appended either).
/// </summary>
public sealed class OpenTelemetryMetrics : IDisposable
{
    public const string MeterName = "Spillway";

    private const string TotalSuffix = "_total";

    private readonly ScrapeSnapshot _snapshot;
    private readonly Meter _meter;

    /// <param name="snapshot">What the callbacks read.</param>
    /// <param name="scope">
    /// The meter's scope (see <see cref="MeterOptions.Scope"/>): lets a MeterProvider tell this meter apart from other
    /// meters named <see cref="MeterName"/> in the same process (several nodes in one test process).
    /// </param>
    public OpenTelemetryMetrics(ScrapeSnapshot snapshot, object? scope = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _snapshot = snapshot;
        _meter = new Meter(new MeterOptions(MeterName) { Scope = scope });

        _meter.CreateObservableGauge(MetricNames.PeerBufferMessages,
            () => PerPeerGauge(static g => g.Queued), unit: null, description: MetricNames.PeerBufferMessagesHelp);
        _meter.CreateObservableGauge(MetricNames.PeerBufferRecentMaxMessages,
            () => PerPeerGauge(static g => g.RecentMax), unit: null, description: MetricNames.PeerBufferRecentMaxMessagesHelp);
        _meter.CreateObservableCounter(CounterInstrumentName(MetricNames.PeerBufferOverflowsTotal),
            () => PerPeerCounter(static s => s.PeerOverflows), unit: null, description: MetricNames.PeerBufferOverflowsHelp);
        _meter.CreateObservableCounter(CounterInstrumentName(MetricNames.PeerMessagesOfferedTotal),
            () => PerPeerCounter(static s => s.PeerOffered), unit: null, description: MetricNames.PeerMessagesOfferedHelp);
        _meter.CreateObservableCounter(CounterInstrumentName(MetricNames.BackpressureDisconnectsTotal),
            () => PerPeerCounter(static s => s.BackpressureDisconnects), unit: null, description: MetricNames.BackpressureDisconnectsHelp);
        _meter.CreateObservableGauge(MetricNames.PeerBufferCapacityMessages,
            () => PerPeerGauge(static g => g.Capacity), unit: null, description: MetricNames.PeerBufferCapacityMessagesHelp);
        _meter.CreateObservableGauge(MetricNames.WebSocketClients,
            () => PerApp(static a => a.Clients), unit: null, description: MetricNames.WebSocketClientsHelp);
        _meter.CreateObservableGauge(MetricNames.WebSocketClientBufferRecentMaxMessages,
            () => PerApp(static a => a.RecentMax), unit: null, description: MetricNames.WebSocketClientBufferRecentMaxMessagesHelp);
        _meter.CreateObservableCounter(CounterInstrumentName(MetricNames.WebSocketClientBufferOverflowsTotal),
            () => PerApp(static a => a.Overflows), unit: null, description: MetricNames.WebSocketClientBufferOverflowsHelp);
        _meter.CreateObservableCounter(CounterInstrumentName(MetricNames.ConnectionsRefusedTotal),
            ConnectionsRefused, unit: null, description: MetricNames.ConnectionsRefusedHelp);
    }

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter => _meter;

    /// <summary>The instrument name of a counter whose scraped name is <paramref name="scrapedName"/> (drops <c>_total</c>).</summary>
    public static string CounterInstrumentName(string scrapedName) =>
        scrapedName.EndsWith(TotalSuffix, StringComparison.Ordinal) ? scrapedName[..^TotalSuffix.Length] : scrapedName;

    public void Dispose() => _meter.Dispose();

    private List<Measurement<long>> PerPeerGauge(Func<PeerBufferGauges, long> value) =>
        _snapshot.Read(value, static (s, value) =>
        {
            var list = new List<Measurement<long>>(s.PeerBuffers.Count);
            foreach (var g in s.PeerBuffers)
                list.Add(new Measurement<long>(value(g), PeerTags(s.NodeName, g.Peer)));
            return list;
        });

    private List<Measurement<long>> PerPeerCounter(Func<TelemetrySnapshot, List<PeerCounter>> counters) =>
        _snapshot.Read(counters, static (s, counters) =>
        {
            var source = counters(s);
            var list = new List<Measurement<long>>(source.Count);
            foreach (var c in source)
                list.Add(new Measurement<long>(c.Value, PeerTags(s.NodeName, c.Peer)));
            return list;
        });

    private List<Measurement<long>> PerApp(Func<WebSocketAppAggregates, long> value) =>
        _snapshot.Read(value, static (s, value) =>
        {
            var list = new List<Measurement<long>>(s.WebSocketApps.Count);
            foreach (var a in s.WebSocketApps)
                list.Add(new Measurement<long>(value(a),
                    new KeyValuePair<string, object?>(MetricNames.NodeLabel, s.NodeName),
                    new KeyValuePair<string, object?>(MetricNames.AppLabel, a.App)));
            return list;
        });

    private List<Measurement<long>> ConnectionsRefused() =>
        _snapshot.Read(0, static (s, _) =>
        {
            var list = new List<Measurement<long>>(s.ConnectionsRefused.Count);
            foreach (var c in s.ConnectionsRefused)
                list.Add(new Measurement<long>(c.Value,
                    new KeyValuePair<string, object?>(MetricNames.NodeLabel, s.NodeName),
                    new KeyValuePair<string, object?>(MetricNames.ReasonLabel, c.Reason)));
            return list;
        });

    private static KeyValuePair<string, object?>[] PeerTags(string node, string peer) =>
    [
        new(MetricNames.NodeLabel, node),
        new(MetricNames.PeerLabel, peer),
    ];
}
