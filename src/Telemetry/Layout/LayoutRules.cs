using Spillway.Engine.Buffers;
using Spillway.Engine.Peering;

namespace Spillway.Telemetry.Layout;

/// <summary>Value checks shared by <see cref="LayoutLoader"/> (raw JSON values) and <see cref="ClusterLayout"/> (typed values). Each returns null or the problem text.</summary>
internal static class LayoutRules
{
    public const int MaxNameLength = 64;
    public const int MinPort = 1;
    public const int MaxPort = 65535;

    public static readonly string PolicyList =
        LayoutFields.OrList([OverflowPolicyNames.Disconnect, OverflowPolicyNames.DropOldest, OverflowPolicyNames.DropNewest]);

    public static string? NameProblem(string name)
    {
        if (name.Length == 0) return "name must not be empty";
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != '-')
                return $"name '{name}' has characters outside [A-Za-z0-9._-]";
        }
        if (name.Length > MaxNameLength) return $"name is {name.Length} characters long, at most {MaxNameLength} allowed";
        return null;
    }

    public static string? HostProblem(string host) =>
        string.IsNullOrWhiteSpace(host) ? "host must not be empty" : null;

    public static string? PortProblem(long port) =>
        port is < MinPort or > MaxPort ? $"port {port} is outside {MinPort}..{MaxPort}" : null;

    // Rings grow on demand, so a large capacity is free until used; beyond these no machine could serve one full buffer.
    public static string? BufferSizeProblem(long size) => RangeProblem(size, 1, EndpointOptions.MaxBufferSize);

    public static string? BufferBytesProblem(long size) => RangeProblem(size, 1, EndpointOptions.MaxBufferBytes);

    public static string? RangeProblem(long value, long minimum, long maximum) =>
        value < minimum ? $"must be at least {minimum}, got {value}"
        : value > maximum ? $"must be at most {maximum} (the maximum), got {value}"
        : null;

    public static string? NonNegativeProblem(long value) =>
        value < 0 ? $"must not be negative, got {value}"
        : value > int.MaxValue ? $"must be at most {int.MaxValue}, got {value}"
        : null;

    public static string UnknownRole(string text) => $"unknown role '{text}' (expected {NodeRoleNames.ValidList})";

    public static string UnknownPolicy(string text) => $"unknown overflow policy '{text}' (expected {PolicyList})";

    public static string? PolicyProblem(OverflowPolicy policy) =>
        Enum.IsDefined(policy) ? null : UnknownPolicy(((int)policy).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static string? IntervalProblem(TimeSpan interval) =>
        interval <= TimeSpan.Zero ? $"duration must be positive, got {interval}"
        : interval.Ticks % TimeSpan.TicksPerMillisecond != 0 ? $"duration must be a whole number of milliseconds, got {interval}"
        : null;
}
