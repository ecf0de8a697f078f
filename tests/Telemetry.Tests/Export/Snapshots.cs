using Spillway.Telemetry.Export;

namespace Spillway.Telemetry.Tests.Export;

/// <summary>Sample snapshots and the spillway_* samples they must scrape as (canonical <see cref="PrometheusText.Sample.Key"/>s).</summary>
public static class Snapshots
{
    /// <summary>worker-1 with two live peers, a departed proxy whose counter is still listed, an unnamed disconnect, clients.</summary>
    public static void Sample(TelemetrySnapshot s)
    {
        s.NodeName = "worker-1";
        s.PeerBuffers.Add(new PeerBufferGauges("manager", 3, 17, 1000));
        s.PeerBuffers.Add(new PeerBufferGauges("logger-1", 0, 5, 500));
        s.PeerOverflows.Add(new PeerCounter("manager", 42));
        s.PeerOverflows.Add(new PeerCounter("logger-1", 0));
        s.PeerOverflows.Add(new PeerCounter("proxy-1", 7));
        s.PeerOffered.Add(new PeerCounter("manager", 1000));
        s.PeerOffered.Add(new PeerCounter("logger-1", 20));
        s.PeerOffered.Add(new PeerCounter("proxy-1", 300));
        s.PeerDiscarded.Add(new PeerCounter("manager", 0));
        s.PeerDiscarded.Add(new PeerCounter("proxy-1", 11));
        s.BackpressureDisconnects.Add(new PeerCounter("manager", 1));
        s.BackpressureDisconnects.Add(new PeerCounter("unknown", 2));
        s.WebSocketApps.Add(new WebSocketAppAggregates("unknown", 1, 5, 2));
        s.WebSocketApps.Add(new WebSocketAppAggregates("zeek-intel", 3, 12, 7));
    }

    public static readonly string[] SampleKeys =
    [
        """spillway_backpressure_disconnects_total{node="worker-1",peer="manager"} 1""",
        """spillway_backpressure_disconnects_total{node="worker-1",peer="unknown"} 2""",
        """spillway_peer_buffer_capacity_messages{node="worker-1",peer="logger-1"} 500""",
        """spillway_peer_buffer_capacity_messages{node="worker-1",peer="manager"} 1000""",
        """spillway_peer_buffer_messages{node="worker-1",peer="logger-1"} 0""",
        """spillway_peer_buffer_messages{node="worker-1",peer="manager"} 3""",
        """spillway_peer_buffer_overflows_total{node="worker-1",peer="logger-1"} 0""",
        """spillway_peer_buffer_overflows_total{node="worker-1",peer="manager"} 42""",
        """spillway_peer_buffer_overflows_total{node="worker-1",peer="proxy-1"} 7""",
        """spillway_peer_buffer_recent_max_messages{node="worker-1",peer="logger-1"} 5""",
        """spillway_peer_buffer_recent_max_messages{node="worker-1",peer="manager"} 17""",
        """spillway_peer_messages_offered_total{node="worker-1",peer="logger-1"} 20""",
        """spillway_peer_messages_offered_total{node="worker-1",peer="manager"} 1000""",
        """spillway_peer_messages_discarded_total{node="worker-1",peer="manager"} 0""",
        """spillway_peer_messages_discarded_total{node="worker-1",peer="proxy-1"} 11""",
        """spillway_peer_messages_offered_total{node="worker-1",peer="proxy-1"} 300""",
        """spillway_websocket_client_buffer_overflows_total{app="unknown",node="worker-1"} 2""",
        """spillway_websocket_client_buffer_overflows_total{app="zeek-intel",node="worker-1"} 7""",
        """spillway_websocket_client_buffer_recent_max_messages{app="unknown",node="worker-1"} 5""",
        """spillway_websocket_client_buffer_recent_max_messages{app="zeek-intel",node="worker-1"} 12""",
        """spillway_websocket_clients{app="unknown",node="worker-1"} 1""",
        """spillway_websocket_clients{app="zeek-intel",node="worker-1"} 3""",
    ];

    /// <summary>Later: logger-1 left (its gauges go, its overflow counter is still listed), manager moved on.</summary>
    public static void LoggerLeft(TelemetrySnapshot s)
    {
        s.NodeName = "worker-1";
        s.PeerBuffers.Add(new PeerBufferGauges("manager", 8, 20, 1000));
        s.PeerOverflows.Add(new PeerCounter("manager", 50));
        s.PeerOverflows.Add(new PeerCounter("logger-1", 3));
        s.PeerOffered.Add(new PeerCounter("manager", 1100));
        s.PeerOffered.Add(new PeerCounter("logger-1", 25));
        s.PeerDiscarded.Add(new PeerCounter("manager", 0));
        s.PeerDiscarded.Add(new PeerCounter("logger-1", 4));
        s.BackpressureDisconnects.Add(new PeerCounter("unknown", 2));
        s.WebSocketApps.Add(new WebSocketAppAggregates("unknown", 0, 0, 2));
        s.WebSocketApps.Add(new WebSocketAppAggregates("zeek-intel", 0, 0, 7));
    }

    public static readonly string[] LoggerLeftKeys =
    [
        """spillway_backpressure_disconnects_total{node="worker-1",peer="unknown"} 2""",
        """spillway_peer_buffer_capacity_messages{node="worker-1",peer="manager"} 1000""",
        """spillway_peer_buffer_messages{node="worker-1",peer="manager"} 8""",
        """spillway_peer_buffer_overflows_total{node="worker-1",peer="logger-1"} 3""",
        """spillway_peer_buffer_overflows_total{node="worker-1",peer="manager"} 50""",
        """spillway_peer_buffer_recent_max_messages{node="worker-1",peer="manager"} 20""",
        """spillway_peer_messages_discarded_total{node="worker-1",peer="logger-1"} 4""",
        """spillway_peer_messages_discarded_total{node="worker-1",peer="manager"} 0""",
        """spillway_peer_messages_offered_total{node="worker-1",peer="logger-1"} 25""",
        """spillway_peer_messages_offered_total{node="worker-1",peer="manager"} 1100""",
        """spillway_websocket_client_buffer_overflows_total{app="unknown",node="worker-1"} 2""",
        """spillway_websocket_client_buffer_overflows_total{app="zeek-intel",node="worker-1"} 7""",
        """spillway_websocket_client_buffer_recent_max_messages{app="unknown",node="worker-1"} 0""",
        """spillway_websocket_client_buffer_recent_max_messages{app="zeek-intel",node="worker-1"} 0""",
        """spillway_websocket_clients{app="unknown",node="worker-1"} 0""",
        """spillway_websocket_clients{app="zeek-intel",node="worker-1"} 0""",
    ];

    /// <summary>Later still: logger-1 is back (new gauges), counters went on rising.</summary>
    public static void LoggerBack(TelemetrySnapshot s)
    {
        s.NodeName = "worker-1";
        s.PeerBuffers.Add(new PeerBufferGauges("manager", 1, 20, 1000));
        s.PeerBuffers.Add(new PeerBufferGauges("logger-1", 2, 2, 500));
        s.PeerOverflows.Add(new PeerCounter("manager", 51));
        s.PeerOverflows.Add(new PeerCounter("logger-1", 3));
        s.PeerOffered.Add(new PeerCounter("manager", 1200));
        s.PeerOffered.Add(new PeerCounter("logger-1", 27));
        s.PeerDiscarded.Add(new PeerCounter("manager", 0));
        s.PeerDiscarded.Add(new PeerCounter("logger-1", 4));
        s.BackpressureDisconnects.Add(new PeerCounter("unknown", 2));
        s.BackpressureDisconnects.Add(new PeerCounter("logger-1", 1));
        s.WebSocketApps.Add(new WebSocketAppAggregates("unknown", 0, 0, 2));
        s.WebSocketApps.Add(new WebSocketAppAggregates("zeek-intel", 1, 7, 8));
    }

    public static readonly string[] LoggerBackKeys =
    [
        """spillway_backpressure_disconnects_total{node="worker-1",peer="logger-1"} 1""",
        """spillway_backpressure_disconnects_total{node="worker-1",peer="unknown"} 2""",
        """spillway_peer_buffer_capacity_messages{node="worker-1",peer="logger-1"} 500""",
        """spillway_peer_buffer_capacity_messages{node="worker-1",peer="manager"} 1000""",
        """spillway_peer_buffer_messages{node="worker-1",peer="logger-1"} 2""",
        """spillway_peer_buffer_messages{node="worker-1",peer="manager"} 1""",
        """spillway_peer_buffer_overflows_total{node="worker-1",peer="logger-1"} 3""",
        """spillway_peer_buffer_overflows_total{node="worker-1",peer="manager"} 51""",
        """spillway_peer_buffer_recent_max_messages{node="worker-1",peer="logger-1"} 2""",
        """spillway_peer_buffer_recent_max_messages{node="worker-1",peer="manager"} 20""",
        """spillway_peer_messages_discarded_total{node="worker-1",peer="logger-1"} 4""",
        """spillway_peer_messages_discarded_total{node="worker-1",peer="manager"} 0""",
        """spillway_peer_messages_offered_total{node="worker-1",peer="logger-1"} 27""",
        """spillway_peer_messages_offered_total{node="worker-1",peer="manager"} 1200""",
        """spillway_websocket_client_buffer_overflows_total{app="unknown",node="worker-1"} 2""",
        """spillway_websocket_client_buffer_overflows_total{app="zeek-intel",node="worker-1"} 8""",
        """spillway_websocket_client_buffer_recent_max_messages{app="unknown",node="worker-1"} 0""",
        """spillway_websocket_client_buffer_recent_max_messages{app="zeek-intel",node="worker-1"} 7""",
        """spillway_websocket_clients{app="unknown",node="worker-1"} 0""",
        """spillway_websocket_clients{app="zeek-intel",node="worker-1"} 1""",
    ];
}
