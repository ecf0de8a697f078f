namespace Spillway.Engine;

/// <summary>
/// The HTTP paths a Spillway node serves, defined once for the servers (exporters, <c>/peers</c>, the
/// WebSocket gateway) and the clients that call them (<c>top</c>, <c>watch</c>, the demo's listing).
/// </summary>
public static class SpillwayRoutes
{
    /// <summary>The Prometheus scrape path.</summary>
    public const string Metrics = "/metrics";

    /// <summary>The per-peering statistics as JSON.</summary>
    public const string Peers = "/peers";

    /// <summary>Broker's WebSocket JSON API v1.</summary>
    public const string WebSocketJson = "/v1/messages/json";
}
