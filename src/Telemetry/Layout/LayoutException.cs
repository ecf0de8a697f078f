namespace Spillway.Telemetry.Layout;

/// <summary>
/// A problem with a cluster layout. <see cref="Exception.Message"/> is exactly <c>"&lt;source&gt;: &lt;field&gt;: &lt;problem&gt;"</c>,
/// or <c>"&lt;source&gt;: &lt;problem&gt;"</c> when the problem concerns the whole file (<see cref="Field"/> is null).
/// </summary>
public sealed class LayoutException : Exception
{
    public LayoutException(string source, string? field, string problem, Exception? innerException = null)
        : base(Format(source, field, problem), innerException)
    {
        Source = source;
        base.Source = source;
        Field = field;
        Problem = problem;
    }

    /// <summary>The layout file (or the source name given to <see cref="LayoutLoader.Parse"/>).</summary>
    public new string Source { get; }

    /// <summary>JSON path of the offending value, like <c>nodes[2].role</c> or <c>buffers.stats_reset_interval</c>; null for whole-file problems.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without source and field.</summary>
    public string Problem { get; }

    private static string Format(string source, string? field, string problem) =>
        field is null ? $"{source}: {problem}" : $"{source}: {field}: {problem}";
}
