namespace Spillway.Telemetry.Export;

/// <summary>The Prometheus names as scraped (docs/design.md §8) and their help texts; one place for both exporters.</summary>
public static class MetricNames
{
    public const string NodeLabel = "node";
    public const string PeerLabel = "peer";
    public const string UnknownPeer = "unknown";
    public const string ReasonLabel = "reason";
    public const string AppLabel = "app";
    /// <summary>The <c>app</c> of WebSocket clients without an <c>X-Application-Name</c>.</summary>
    public const string UnknownApp = "unknown";
    /// <summary>The <c>app</c> of WebSocket clients whose name came after the layout's cap of distinct names.</summary>
    public const string OtherApp = "other";

    public const string PeerBufferMessages = "spillway_peer_buffer_messages";
    public const string PeerBufferRecentMaxMessages = "spillway_peer_buffer_recent_max_messages";
    public const string PeerBufferOverflowsTotal = "spillway_peer_buffer_overflows_total";
    public const string PeerMessagesOfferedTotal = "spillway_peer_messages_offered_total";
    public const string BackpressureDisconnectsTotal = "spillway_backpressure_disconnects_total";
    public const string PeerMessagesDiscardedTotal = "spillway_peer_messages_discarded_total";
    public const string PeerBufferCapacityMessages = "spillway_peer_buffer_capacity_messages";
    public const string WebSocketClients = "spillway_websocket_clients";
    public const string WebSocketClientBufferRecentMaxMessages = "spillway_websocket_client_buffer_recent_max_messages";
    public const string WebSocketClientBufferOverflowsTotal = "spillway_websocket_client_buffer_overflows_total";
    public const string ConnectionsRefusedTotal = "spillway_connections_refused_total";

    public const string PeerBufferMessagesHelp = "Messages queued now in the send buffer to this peer.";
    public const string PeerBufferRecentMaxMessagesHelp = "Highest number of messages queued to this peer within the recent stats window.";
    public const string PeerBufferOverflowsHelp = "Pushes that found the send buffer to this peer full (messages lost under drop policies).";
    public const string PeerMessagesOfferedHelp = "Messages offered to the send buffer to this peer, queued or dropped.";
    public const string BackpressureDisconnectsHelp = "Peerings torn down by the disconnect overflow policy.";
    public const string PeerMessagesDiscardedHelp = "Messages still queued to this peer when its peering ended, discarded with the buffer.";
    public const string PeerBufferCapacityMessagesHelp = "Configured capacity of the send buffer to this peer, in messages.";
    public const string WebSocketClientsHelp = "WebSocket clients connected now, by application.";
    public const string WebSocketClientBufferRecentMaxMessagesHelp = "Highest recent max of queued messages over connected WebSocket clients of this application.";
    public const string WebSocketClientBufferOverflowsHelp = "Send-buffer overflows over all WebSocket clients of this application ever connected.";
    public const string ConnectionsRefusedHelp = "Connections, peerings and WebSocket clients refused or closed for exceeding a budget, by reason.";
}
