namespace Spillway.Telemetry.Layout;

/// <summary>The layout-file spelling of each <see cref="NodeRole"/>: <c>manager</c>, <c>logger</c>, <c>proxy</c>, <c>worker</c>.</summary>
public static class NodeRoleNames
{
    public const string Manager = "manager";
    public const string Logger = "logger";
    public const string Proxy = "proxy";
    public const string Worker = "worker";

    /// <summary>The valid spellings, for error messages: <c>manager, logger, proxy or worker</c>.</summary>
    public const string ValidList = Manager + ", " + Logger + ", " + Proxy + " or " + Worker;

    public static string ToName(this NodeRole role) => role switch
    {
        NodeRole.Manager => Manager,
        NodeRole.Logger => Logger,
        NodeRole.Proxy => Proxy,
        NodeRole.Worker => Worker,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown node role"),
    };

    /// <summary>Exact, case-sensitive match of the lowercase spelling.</summary>
    public static bool TryParse(string? text, out NodeRole role)
    {
        switch (text)
        {
            case Manager: role = NodeRole.Manager; return true;
            case Logger: role = NodeRole.Logger; return true;
            case Proxy: role = NodeRole.Proxy; return true;
            case Worker: role = NodeRole.Worker; return true;
            default: role = default; return false;
        }
    }
}
