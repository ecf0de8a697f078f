using System.Collections.Concurrent;
using System.Diagnostics;

namespace Spillway.EndToEnd.Tests;

/// <summary>
/// An OS process the tests started: stdout and stderr go to one log file (stderr lines prefixed), and it is
/// killed with its whole tree on <see cref="DisposeAsync"/>, or at the latest when the test host exits.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private static int _backstopRegistered;

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();

    private ChildProcess(string name, Process process, string logPath, StreamWriter log)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        _log = log;
    }

    public string Name { get; }
    public string LogPath { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string CommandLine { get; private init; } = "";

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> args, string logPath,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        RegisterBackstop();
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "false";
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;

        var log = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, logPath, log)
        {
            CommandLine = fileName + " " + string.Join(' ', info.ArgumentList),
        };
        process.OutputDataReceived += (_, e) => child.Write(e.Data, "");
        process.ErrorDataReceived += (_, e) => child.Write(e.Data, "[stderr] ");
        child.Write($"$ {child.CommandLine}", "");
        process.Start();
        Live[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    private void Write(string? line, string prefix)
    {
        if (line is null) return;
        lock (_logLock)
        {
            try { _log.WriteLine(prefix + line); } catch (ObjectDisposedException) { }
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of the log, for failure messages.</summary>
    public string Tail(int lines = 25)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join('\n', all.TakeLast(lines).Select(l => "    " + l.TrimEnd('\r')));
        }
        catch (IOException e) { return $"    (cannot read {LogPath}: {e.Message})"; }
    }

    /// <summary>One paragraph about this process for a failure message: state, log path and log tail.</summary>
    public string Describe(int lines = 25)
    {
        var state = _process.HasExited ? $"EXITED with code {_process.ExitCode}" : "running";
        return $"--- {Name} (pid {Id}, {state}); log {LogPath}; last lines:\n{Tail(lines)}";
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException) { return false; }
    }

    /// <summary>Sends SIGTERM (Process.Kill would be SIGKILL) via kill(1).</summary>
    public void SendSigterm() => SendSignal("TERM");

    /// <summary>Sends a signal by name (TERM, INT) the way a service manager or a terminal would.</summary>
    public void SendSignal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + name, Id.ToString() }, UseShellExecute = false })!;
        kill.WaitForExit(5000);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { } // exited meanwhile
        catch (System.ComponentModel.Win32Exception) { }
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
        Live.TryRemove(_process.Id, out _);
        lock (_logLock) _log.Dispose();
        _process.Dispose();
    }

    /// <summary>
    /// If the test host exits without disposing the fixtures (a crash, a cancelled run), kill what is left.
    /// A SIGKILLed test host runs no handler; the spillway nodes then stop by themselves (--exit-with-parent).
    /// </summary>
    private static void RegisterBackstop()
    {
        if (Interlocked.Exchange(ref _backstopRegistered, 1) == 1) return;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Live.Values)
            {
                try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (Exception) { }
            }
        };
    }
}
