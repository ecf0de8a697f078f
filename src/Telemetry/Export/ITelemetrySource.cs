namespace Spillway.Telemetry.Export;

/// <summary>What the exporters read at scrape time. Implemented by the naming layer.</summary>
public interface ITelemetrySource
{
    /// <summary>
    /// Refills <paramref name="snapshot"/> with the values of this moment. Called once per scrape, never
    /// per message; must not throw because of a peer's data.
    /// </summary>
    void Fill(TelemetrySnapshot snapshot);
}
