using Spillway.Telemetry.Layout;

namespace Spillway.Node.Demo;

/// <summary>
/// Keeps the demo's nodes running: a node whose process exits while the demo is not stopping is reported with
/// the tail of its log and started again after <see cref="RestartBackoff"/> (1 s doubling to 30 s), while the
/// other nodes keep running. With restarts off (<c>--no-restart</c>) the first crash stops the demo, as before.
/// </summary>
internal sealed class NodeSupervisor
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(500);

    private readonly ISupervisedNodes _nodes;
    private readonly bool _restart;
    private readonly TimeProvider _time;
    private readonly Action<string> _report;
    private readonly Func<string, IEnumerable<string>> _logTail;
    private readonly Func<string, string> _logPath;
    private readonly Dictionary<string, RestartBackoff> _backoff = new();
    private readonly Dictionary<string, long> _startedAt = new();
    private readonly HashSet<string> _pending = new();
    private readonly Dictionary<string, int> _restarts = new();
    private readonly Lock _gate = new();

    public NodeSupervisor(ISupervisedNodes nodes, bool restart, TimeProvider time, Action<string> report,
        Func<string, IEnumerable<string>> logTail, Func<string, string> logPath)
    {
        _nodes = nodes;
        _restart = restart;
        _time = time;
        _report = report;
        _logTail = logTail;
        _logPath = logPath;
    }

    /// <summary>How often <paramref name="node"/> was restarted so far (for the live view).</summary>
    public int RestartsOf(string node)
    {
        lock (_gate) return _restarts.GetValueOrDefault(node);
    }

    /// <summary>Restart counts of every node restarted at least once.</summary>
    public IReadOnlyDictionary<string, int> Restarts
    {
        get { lock (_gate) return new Dictionary<string, int>(_restarts); }
    }

    /// <summary>
    /// Watches until <paramref name="stop"/> is cancelled. Returns the node that ended the demo (only without
    /// restarts), or null.
    /// </summary>
    public async Task<(NodeSpec Node, int ExitCode)?> RunAsync(CancellationTokenSource stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(CheckInterval, _time, stop.Token);
                foreach (var exited in _nodes.Exited())
                {
                    lock (_gate) if (_pending.Contains(exited.Node.Name)) continue;
                    // Ctrl-C in a terminal signals the whole process group: the nodes may stop a moment before
                    // the demo sees its own cancellation. That is a shutdown, not a crash.
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, CancellationToken.None);
                    if (stop.IsCancellationRequested && exited.ExitCode == 0) return null;
                    if (!_restart)
                    {
                        stop.Cancel();
                        return exited;
                    }
                    ScheduleRestart(exited.Node, exited.ExitCode, stop.Token);
                }
            }
        }
        catch (OperationCanceledException) { }
        return null;
    }

    private void ScheduleRestart(NodeSpec node, int exitCode, CancellationToken token)
    {
        TimeSpan wait;
        int attempt;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var ranFor = _startedAt.TryGetValue(node.Name, out var started) ? _time.GetElapsedTime(started, now) : TimeSpan.MaxValue;
            if (!_backoff.TryGetValue(node.Name, out var backoff)) _backoff[node.Name] = backoff = new RestartBackoff();
            wait = backoff.Next(ranFor);
            attempt = _restarts.GetValueOrDefault(node.Name) + 1;
            _pending.Add(node.Name);
        }
        var lines = new List<string>
        {
            $"spillway demo: node {node.Name} exited unexpectedly with code {exitCode}; restarting it in {wait.TotalSeconds:0} s (restart {attempt}); its log: {_logPath(node.Name)}",
        };
        lines.AddRange(_logTail(node.Name).Select(l => "  " + l));
        foreach (var line in lines) _report(line);
        _ = RestartLaterAsync(node, wait, token);
    }

    private async Task RestartLaterAsync(NodeSpec node, TimeSpan wait, CancellationToken token)
    {
        try
        {
            await Task.Delay(wait, _time, token);
        }
        catch (OperationCanceledException)
        {
            return; // the demo is stopping: nothing to restart
        }
        try
        {
            _nodes.Restart(node);
            lock (_gate)
            {
                _restarts[node.Name] = _restarts.GetValueOrDefault(node.Name) + 1;
                _startedAt[node.Name] = _time.GetTimestamp();
            }
            _report($"spillway demo: node {node.Name} restarted");
        }
        catch (Exception e)
        {
            _report($"spillway demo: restarting node {node.Name} failed: {e.Message}; trying again");
        }
        finally
        {
            lock (_gate) _pending.Remove(node.Name);
        }
    }
}
