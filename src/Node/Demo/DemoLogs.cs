using System.Collections.Concurrent;

namespace Spillway.Node.Demo;

/// <summary>Each demo node's output: into its own log file, and echoed to the console with a name prefix when asked.</summary>
internal sealed class DemoLogs(string directory, bool toConsole) : IDisposable
{
    private readonly ConcurrentDictionary<string, StreamWriter> _files = new();
    private readonly Lock _console = new();

    public string PathOf(string node) => Path.Combine(directory, node + ".log");

    public void Write(string node, string line)
    {
        var file = _files.GetOrAdd(node, n => new StreamWriter(PathOf(n), append: true) { AutoFlush = true });
        lock (file) file.WriteLine(line);
        if (toConsole)
            lock (_console) Console.WriteLine($"[{node}] {line}");
    }

    public IEnumerable<string> Tail(string node, int lines)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(PathOf(node), FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines).ToArray();
        }
        catch (IOException) { return []; }
    }

    public void Dispose()
    {
        foreach (var file in _files.Values) lock (file) file.Dispose();
    }
}
