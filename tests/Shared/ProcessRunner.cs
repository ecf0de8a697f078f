using System.Diagnostics;

namespace Spillway.Tests.Shared;

/// <summary>Runs a tool to completion (promtool, bash scripts) and collects its exit code and output.</summary>
internal static class ProcessRunner
{
    /// <summary>Generous: a tool that is merely slow on a loaded machine still finishes; a hung one fails the test.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static ProcessResult Run(string fileName, string workingDirectory, params string[] args) =>
        RunAsync(fileName, args, workingDirectory).GetAwaiter().GetResult();

    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="args"/>, writing <paramref name="stdin"/> (if any) to it;
    /// fails the test, killing the process, if it has not exited within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> args, string? workingDirectory = null,
        string? stdin = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var a in args) info.ArgumentList.Add(a);

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var limit = timeout ?? DefaultTimeout;
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish within {limit.TotalSeconds:F0} s");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
