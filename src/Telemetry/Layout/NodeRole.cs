namespace Spillway.Telemetry.Layout;

/// <summary>The role of a cluster node (docs/design.md §7). Roles decide who dials whom; see <see cref="ClusterLayout.DialTargets"/>.</summary>
public enum NodeRole
{
    /// <summary>JSON <c>"manager"</c>: dials loggers; dialed by workers and proxies.</summary>
    Manager,
    /// <summary>JSON <c>"logger"</c>: dials nobody; dialed by everyone else.</summary>
    Logger,
    /// <summary>JSON <c>"proxy"</c>: dials manager and loggers; dialed by workers.</summary>
    Proxy,
    /// <summary>JSON <c>"worker"</c>: dials manager, loggers and proxies.</summary>
    Worker,
}
