using Spillway.Telemetry.Export;

namespace Spillway.Node.Top;

/// <summary>The outcome of polling one node's <c>/peers</c> once.</summary>
/// <param name="Name">The node's name (from its <see cref="NodeTarget"/>, not from the report).</param>
/// <param name="IsDown">True if the node did not answer, answered with an error status or sent an unparsable document.</param>
/// <param name="Error">A short description of why the node is down; null when it is up.</param>
/// <param name="Report">The parsed document; null when the node is down.</param>
/// <param name="At">When the answer (or the failure) arrived; rates are computed from the difference between two polls.</param>
public sealed record NodeStatus(string Name, bool IsDown, string? Error, PeersReport? Report, DateTimeOffset At)
{
    /// <summary>An up node with its report.</summary>
    public static NodeStatus Up(string name, PeersReport report, DateTimeOffset at) => new(name, false, null, report, at);

    /// <summary>A down node with the reason.</summary>
    public static NodeStatus Down(string name, string error, DateTimeOffset at) => new(name, true, error, null, at);
}
