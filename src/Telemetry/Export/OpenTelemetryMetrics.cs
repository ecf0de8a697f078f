using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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

    /// <summary>
    /// The lowest cardinality limit set on a Spillway metric stream: the SDK's own default. Families labelled by
    /// something other than peer stay far below it: refusal reasons are a fixed set, and WebSocket aggregates per
    /// <c>app</c> are capped by the layout (32 names, plus <c>other</c> and <c>unknown</c>).
    /// </summary>
    public const int MinimumCardinalityLimit = 2000;

    /// <summary>
    /// The cardinality limit (points per metric stream) for a node whose <c>peer</c> label takes at most
    /// <paramref name="maxPeerLabelValues"/> values: every per-peer family then fits (the SDK keeps its overflow and
    /// no-tag points outside the limit, so nothing more is needed). The SDK allocates the points up front, about
    /// 100 bytes each per family, so the limit follows the layout instead of being unbounded.
    /// </summary>
    public static int CardinalityLimit(int maxPeerLabelValues)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPeerLabelValues);
        return Math.Max(MinimumCardinalityLimit, maxPeerLabelValues);
    }

    private readonly ScrapeSnapshot _snapshot;
    private readonly Meter _meter;
    private readonly int _cardinalityLimit;
    private readonly ILogger _logger;
    private int _warnedOverLimit;

    /// <param name="snapshot">What the callbacks read.</param>
    /// <param name="scope">
    /// The meter's scope (see <see cref="MeterOptions.Scope"/>): lets a MeterProvider tell this meter apart from other
    /// meters named <see cref="MeterName"/> in the same process (several nodes in one test process).
    /// </param>
    /// <param name="cardinalityLimit">
    /// The limit the MeterProvider's view sets on these instruments: a family with more series than this would lose
    /// some in the SDK, so a warning is logged (once) instead of dropping them silently.
    /// </param>
    /// <param name="logger">Where that warning goes.</param>
    public OpenTelemetryMetrics(ScrapeSnapshot snapshot, object? scope = null, int cardinalityLimit = int.MaxValue, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _snapshot = snapshot;
        _cardinalityLimit = cardinalityLimit;
        _logger = logger ?? NullLogger.Instance;
        _meter = new Meter(new MeterOptions(MeterName) { Scope = scope });

        _meter.CreateObservableGauge(MetricNames.PeerBufferMessages,
            () => PerPeerGauge(MetricNames.PeerBufferMessages, static g => g.Queued), unit: null, description: MetricNames.PeerBufferMessagesHelp);
        _meter.CreateObservableGauge(MetricNames.PeerBufferRecentMaxMessages,
            () => PerPeerGauge(MetricNames.PeerBufferRecentMaxMessages, static g => g.RecentMax), unit: null, description: MetricNames.PeerBufferRecentMaxMessagesHelp);
        _meter.CreateObservableCounter(CounterInstrumentName(MetricNames.PeerBufferOverflowsTotal),
            () => PerPeerCounter(MetricNames.PeerBufferOverflowsTotal, static s => s.PeerOverflows), unit: null, description: MetricNames.PeerBufferOverflowsHelp);
        _meter.CreateObservableCounter(CounterInstrumentName(MetricNames.PeerMessagesOfferedTotal),
            () => PerPeerCounter(MetricNames.PeerMessagesOfferedTotal, static s => s.PeerOffered), unit: null, description: MetricNames.PeerMessagesOfferedHelp);
        _meter.CreateObservableCounter(CounterInstrumentName(MetricNames.BackpressureDisconnectsTotal),
            () => PerPeerCounter(MetricNames.BackpressureDisconnectsTotal, static s => s.BackpressureDisconnects), unit: null, description: MetricNames.BackpressureDisconnectsHelp);
        _meter.CreateObservableCounter(CounterInstrumentName(MetricNames.PeerMessagesDiscardedTotal),
            () => PerPeerCounter(MetricNames.PeerMessagesDiscardedTotal, static s => s.PeerDiscarded), unit: null, description: MetricNames.PeerMessagesDiscardedHelp);
        _meter.CreateObservableGauge(MetricNames.PeerBufferCapacityMessages,
            () => PerPeerGauge(MetricNames.PeerBufferCapacityMessages, static g => g.Capacity), unit: null, description: MetricNames.PeerBufferCapacityMessagesHelp);
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

    private List<Measurement<long>> PerPeerGauge(string family, Func<PeerBufferGauges, long> value) =>
        WithinLimit(family, _snapshot.Read(value, static (s, value) =>
        {
            var list = new List<Measurement<long>>(s.PeerBuffers.Count);
            foreach (var g in s.PeerBuffers)
                list.Add(PeerMeasurement(value(g), s.NodeName, g.Peer));
            return list;
        }));

    private List<Measurement<long>> PerPeerCounter(string family, Func<TelemetrySnapshot, List<PeerCounter>> counters) =>
        WithinLimit(family, _snapshot.Read(counters, static (s, counters) =>
        {
            var source = counters(s);
            var list = new List<Measurement<long>>(source.Count);
            foreach (var c in source)
                list.Add(PeerMeasurement(c.Value, s.NodeName, c.Peer));
            return list;
        }));

    /// <summary>
    /// A source that names more peers than it declared (<see cref="ITelemetrySource.MaxPeerLabelValues"/>) would lose
    /// series past the view's limit without a trace: say so once, in the log.
    /// </summary>
    private List<Measurement<long>> WithinLimit(string family, List<Measurement<long>> measurements)
    {
        if (measurements.Count > _cardinalityLimit && Interlocked.Exchange(ref _warnedOverLimit, 1) == 0)
            _logger.LogWarning("{Family} has {Series} series, more than the exporter's cardinality limit of {Limit}: "
                + "OpenTelemetry folds the rest into one overflow series; the telemetry source declared fewer peer names than it exports",
                family, measurements.Count, _cardinalityLimit);
        return measurements;
    }

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

    // The tags go in a TagList (inline storage, no array of our own): the Measurement copies them into its own array
    // anyway, so building one first would double the per-series allocation of a scrape.
    private static Measurement<long> PeerMeasurement(long value, string node, string peer)
    {
        var tags = new TagList { { MetricNames.NodeLabel, node }, { MetricNames.PeerLabel, peer } };
        return new Measurement<long>(value, in tags);
    }
}
