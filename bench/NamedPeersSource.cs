using Spillway.Telemetry.Export;

namespace Spillway.Bench;

/// <summary>
/// A node's telemetry for <c>count</c> named peers, the same on every scrape: 5 series per peer
/// (buffer queued / max / capacity, overflows, backpressure disconnects) plus 3 WebSocket aggregates.
/// Names are made once, so a scrape measures the exporter, not this source.
/// </summary>
internal sealed class NamedPeersSource : ITelemetrySource
{
    private readonly string[] _names;

    public NamedPeersSource(int count) => _names = [.. Enumerable.Range(0, count).Select(i => $"peer-{i:D5}")];

    public int Series => _names.Length * 5 + 3;

    public int MaxPeerLabelValues => _names.Length;

    public void Fill(TelemetrySnapshot snapshot)
    {
        snapshot.NodeName = "worker-1";
        for (var i = 0; i < _names.Length; i++)
        {
            var name = _names[i];
            snapshot.PeerBuffers.Add(new PeerBufferGauges(name, i % 97, i % 301, 8192));
            snapshot.PeerOverflows.Add(new PeerCounter(name, i * 7L));
            snapshot.BackpressureDisconnects.Add(new PeerCounter(name, i % 3));
        }
        snapshot.WebSocketApps.Add(new WebSocketAppAggregates("unknown", 2, 0, 0));
    }
}
