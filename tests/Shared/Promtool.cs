namespace Spillway.Tests.Shared;

/// <summary>
/// Runs Prometheus' promtool (from $PROMTOOL, PATH or /usr/bin). A missing promtool fails the test, never skips it:
/// ./test.sh installs it (Debian package <c>prometheus</c>).
/// </summary>
internal static class Promtool
{
    public static string Path => RepoPaths.Promtool;

    /// <summary><c>promtool args...</c> in <paramref name="workingDirectory"/>.</summary>
    public static ProcessResult Run(string workingDirectory, params string[] args) => ProcessRunner.Run(Path, workingDirectory, args);

    /// <summary><c>promtool check metrics</c> with <paramref name="exposition"/> on standard input.</summary>
    public static Task<ProcessResult> CheckMetricsAsync(string exposition) =>
        ProcessRunner.RunAsync(Path, ["check", "metrics"], stdin: exposition);
}
