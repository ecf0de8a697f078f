namespace Spillway.Telemetry.Layout;

/// <summary>
/// JSON <c>heartbeat</c> (optional, cluster-wide: both ends of a peering judge each other by it). The defaults,
/// 1 s and 4 s, notice a dead or cut-off peer within 5 s.
/// </summary>
public sealed record HeartbeatSettings
{
    public static HeartbeatSettings Default { get; } = new();

    /// <summary>JSON <c>interval</c>: how often an otherwise idle peering sends a heartbeat.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>JSON <c>timeout</c>: a peering that received nothing for this long is lost ("heartbeat timeout"). Longer than the interval.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(4);
}
