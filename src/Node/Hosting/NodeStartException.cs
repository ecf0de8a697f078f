namespace Spillway.Node.Hosting;

/// <summary>
/// A node could not start because of its layout entry: a host that does not resolve or is not this machine's, or a port
/// that cannot be bound. <see cref="Exception.Message"/> names the layout field, e.g.
/// <c>nodes[1].metrics_port: port 9102 on 127.0.0.1 is already in use (another process holds it)</c>.
/// </summary>
public sealed class NodeStartException(string field, string problem, Exception? inner = null)
    : Exception($"{field}: {problem}", inner)
{
    /// <summary>JSON path of the layout field, like <c>nodes[1].metrics_port</c>.</summary>
    public string Field { get; } = field;

    public string Problem { get; } = problem;
}
