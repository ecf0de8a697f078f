using System.Diagnostics;

namespace Spillway.Dashboards.Tests;

/// <summary>Runs promtool (from $PROMTOOL or PATH) and other processes for the tests.</summary>
public static class Promtool
{
    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit code {ExitCode}\n{Output}";
    }

    /// <summary>The promtool executable; fails the test (never skips) when it is not installed.</summary>
    public static string Path
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("PROMTOOL");
            if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv))
            {
                return fromEnv;
            }

            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = System.IO.Path.Combine(dir, "promtool");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            Assert.Fail("promtool was not found on PATH (nor in $PROMTOOL). Run ./test.sh, which installs Prometheus' promtool "
                        + "(Debian: apt-get install prometheus), then run the tests again.");
            return string.Empty; // unreachable
        }
    }

    public static Result Run(string workingDirectory, params string[] args) => Exec(Path, workingDirectory, args);

    public static Result Exec(string fileName, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', args)} did not finish within 2 minutes");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result + stderr.Result);
    }
}
