namespace Spillway.Tests.Shared;

/// <summary>How a process run by <see cref="ProcessRunner"/> ended.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output followed by standard error.</summary>
    public string Output => Stdout + Stderr;

    public override string ToString() => $"exit code {ExitCode}\n{Output}";
}
