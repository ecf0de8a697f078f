using Spillway.Telemetry.Layout;

namespace Spillway.Node.Demo;

/// <summary>The node processes a <see cref="NodeSupervisor"/> watches and restarts (the demo's <see cref="ClusterProcesses"/>).</summary>
internal interface ISupervisedNodes
{
    /// <summary>Nodes whose current process has exited, with their exit codes.</summary>
    IEnumerable<(NodeSpec Node, int ExitCode)> Exited();

    /// <summary>Starts a new process for <paramref name="node"/> in place of its exited one.</summary>
    void Restart(NodeSpec node);
}
