using System.Diagnostics;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Demo;

/// <summary>
/// Starts every node of a layout as its own OS process (this same executable, <c>node</c> command),
/// sends each one's output to a line sink, and stops them all, process trees included.
/// </summary>
internal sealed class ClusterProcesses : IAsyncDisposable, ISupervisedNodes
{
    private readonly List<(NodeSpec Node, Process Process)> _processes = new();
    private Func<NodeSpec, Process>? _startOne;

    public IReadOnlyList<(NodeSpec Node, Process Process)> Processes => _processes;

    /// <summary>The command that runs this executable again: the apphost itself, or <c>dotnet spillway.dll</c>.</summary>
    public static (string FileName, IReadOnlyList<string> PrefixArgs) SelfCommand()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        var entry = typeof(ClusterProcesses).Assembly.Location;
        return Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? (processPath, [entry]) : (processPath, []);
    }

    public void Start(string layoutPath, ClusterLayout layout, IReadOnlyList<string> extraArgs, Action<string, string> onLine)
    {
        var (fileName, prefix) = SelfCommand();
        _startOne = node =>
        {
            var info = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in prefix) info.ArgumentList.Add(arg);
            foreach (var arg in new[] { "node", "--layout", layoutPath, "--name", node.Name, "--exit-with-parent", Environment.ProcessId.ToString() })
                info.ArgumentList.Add(arg);
            foreach (var arg in extraArgs) info.ArgumentList.Add(arg);
            // Children log plain lines; colours would only garble the log files.
            info.Environment["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "false";
            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(node.Name, e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(node.Name, e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        };
        foreach (var node in layout.Nodes) _processes.Add((node, _startOne(node)));
    }

    /// <summary>Starts <paramref name="node"/> again in place of its exited process (the demo's supervisor calls it).</summary>
    public void Restart(NodeSpec node)
    {
        var start = _startOne ?? throw new InvalidOperationException("the cluster was not started");
        lock (_processes)
        {
            var i = _processes.FindIndex(p => p.Node.Name == node.Name);
            var old = _processes[i].Process;
            if (!old.HasExited) throw new InvalidOperationException($"node {node.Name} is still running");
            _processes[i] = (node, start(node));
            old.Dispose();
        }
    }

    /// <summary>Nodes whose process has exited, with their exit codes.</summary>
    public IEnumerable<(NodeSpec Node, int ExitCode)> Exited()
    {
        lock (_processes) return _processes.Where(p => p.Process.HasExited).Select(p => (p.Node, p.Process.ExitCode)).ToArray();
    }

    /// <summary>Asks every node to stop (SIGTERM, so each shuts down cleanly), then kills what is left after 5 s.</summary>
    public async ValueTask DisposeAsync()
    {
        _startOne = null;
        foreach (var (_, process) in _processes)
            if (!process.HasExited) _ = Terminate(process.Id);
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try { await Task.WhenAll(_processes.Select(p => p.Process.WaitForExitAsync(grace.Token))); }
            catch (OperationCanceledException) { }
        }
        foreach (var (_, process) in _processes)
        {
            try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { } // exited meanwhile
            await process.WaitForExitAsync();
            process.Dispose();
        }
        _processes.Clear();
    }

    private const int SigTerm = 15;

    // .NET has no API to send SIGTERM; Process.Kill sends SIGKILL, which gives a node no chance to close its peerings.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    internal static bool Terminate(int pid) => OperatingSystem.IsWindows() ? false : SendSignal(pid, SigTerm) == 0;
}
