namespace Spillway.Telemetry.Export;

/// <summary>What the exporters read at scrape time. Implemented by the naming layer.</summary>
public interface ITelemetrySource
{
    /// <summary>
    /// The most distinct values the <c>peer</c> label can ever take on this node (the layout's node names, plus
    /// <c>unknown</c>). Fixed for the source's lifetime: the OpenTelemetry exporter sizes every metric stream's
    /// cardinality limit from it, so a series within the bound is never dropped.
    /// </summary>
    int MaxPeerLabelValues { get; }

    /// <summary>
    /// Refills <paramref name="snapshot"/> with the values of this moment. Called once per scrape, never
    /// per message; must not throw because of a peer's data.
    /// </summary>
    void Fill(TelemetrySnapshot snapshot);
}
