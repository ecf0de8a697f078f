using System.Diagnostics;

namespace Spillway.Telemetry.Tests.Export;

/// <summary>Runs <c>promtool check metrics</c> on an exposition when promtool is on PATH.</summary>
public static class Promtool
{
    public static string? Path { get; } = Find();

    /// <summary>Null when promtool is not installed; else (exit code, stdout + stderr).</summary>
    public static async Task<(int ExitCode, string Output)?> CheckMetricsAsync(string exposition)
    {
        if (Path is null)
            return null;
        var psi = new ProcessStartInfo(Path, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("promtool did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator))
        {
            if (dir.Length == 0)
                continue;
            var candidate = System.IO.Path.Combine(dir, "promtool");
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
