using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spillway.EndToEnd.Tests.Faults;

/// <summary>
/// One node of a <see cref="NodeProcessSet"/>: its layout entry, optionally the network namespace it runs in and the
/// exporter it uses (null: the default).
/// </summary>
public sealed record FaultNode(string Name, string Role, string Host, int PeeringPort, int MetricsPort, string? Netns = null,
    int InboundMessagesPerSecond = 0, string? Exporter = null);

/// <summary>
/// Spillway nodes as separate OS processes (each <c>spillway node --workload</c>, inside <c>ip netns exec</c> when the
/// node has a namespace), that a test can kill with SIGKILL and start again. Logs and the layout live in a temp
/// directory that is deleted after a passing run and kept (and named) after a failing one.
/// </summary>
internal sealed class NodeProcessSet : IAsyncDisposable
{
    private readonly Dictionary<string, FaultNode> _nodes;
    private readonly Dictionary<string, ChildProcess> _running = new();
    private readonly Dictionary<string, int> _starts = new();
    private readonly Dictionary<string, HttpClient> _http = new();
    private readonly List<ChildProcess> _exited = new();
    private bool _failed = Environment.GetEnvironmentVariable("SPILLWAY_E2E_KEEP") == "1";

    public NodeProcessSet(string purpose, IReadOnlyList<FaultNode> nodes, JsonObject? buffers = null, JsonObject? heartbeat = null)
    {
        _nodes = nodes.ToDictionary(n => n.Name);
        WorkDir = Directory.CreateTempSubdirectory($"spillway-{purpose}-").FullName;
        var array = new JsonArray();
        foreach (var n in nodes)
        {
            var node = new JsonObject
            {
                ["name"] = n.Name, ["role"] = n.Role, ["host"] = n.Host,
                ["peering_port"] = n.PeeringPort, ["metrics_port"] = n.MetricsPort,
                ["socket_buffer_bytes"] = 8192,
            };
            if (n.InboundMessagesPerSecond > 0) node["inbound_messages_per_second"] = n.InboundMessagesPerSecond;
            array.Add(node);
        }
        var layout = new JsonObject
        {
            ["buffers"] = buffers ?? new JsonObject { ["peer_buffer_size"] = 1000, ["peer_overflow_policy"] = "drop_oldest" },
            ["nodes"] = array,
            // Without TLS the heartbeat rule decides who keeps a name (with TLS the certificate does): that rule is under test.
            ["tls"] = "off",
        };
        if (heartbeat is not null) layout["heartbeat"] = heartbeat;
        File.WriteAllText(LayoutPath, layout.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public string WorkDir { get; }
    public string LayoutPath => Path.Combine(WorkDir, "layout.json");

    public ChildProcess Process(string name) => _running[name];

    /// <summary>Starts (or starts again) node <paramref name="name"/>; each start writes its own log file.</summary>
    public ChildProcess Start(string name)
    {
        var node = _nodes[name];
        var start = _starts[name] = _starts.GetValueOrDefault(name) + 1;
        string[] spillway = [RepoPaths.DotnetHost, RepoPaths.SpillwayDll, "node", "--layout", LayoutPath, "--name", name, "--workload",
            "--exit-with-parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            .. node.Exporter is null ? Array.Empty<string>() : ["--exporter", node.Exporter]];
        string[] command = node.Netns is null ? spillway : ["ip", "netns", "exec", node.Netns, .. spillway];
        var process = ChildProcess.Start(start == 1 ? name : $"{name}#{start}", command[0], command[1..],
            Path.Combine(WorkDir, start == 1 ? $"{name}.log" : $"{name}.{start}.log"));
        _running[name] = process;
        return process;
    }

    /// <summary>kill -9: no shutdown code runs; the kernel closes the sockets.</summary>
    public async Task KillAsync(string name)
    {
        var process = _running[name];
        process.SendSignal("KILL");
        if (!await process.WaitForExitAsync(TimeSpan.FromSeconds(20)))
            throw new Xunit.Sdk.XunitException($"{name} did not die from SIGKILL\n{process.Describe()}");
        _exited.Add(process);
    }

    private HttpClient Http(string name)
    {
        if (_http.TryGetValue(name, out var client)) return client;
        var netns = _nodes[name].Netns;
        client = netns is null ? new HttpClient { Timeout = TimeSpan.FromSeconds(5) } : NamespaceHttp.Create(netns);
        return _http[name] = client;
    }

    public async Task<string> GetAsync(string name, string path)
    {
        var node = _nodes[name];
        return await Http(name).GetStringAsync($"http://{node.Host}:{node.MetricsPort}{path}");
    }

    /// <summary>The node's /peers: its own endpoint id and, per peering, (endpoint id, name or null).</summary>
    public async Task<(string Endpoint, IReadOnlyList<(string Endpoint, string? Name)> Peers)> PeersAsync(string name)
    {
        using var doc = JsonDocument.Parse(await GetAsync(name, "/peers"));
        var root = doc.RootElement;
        var peers = root.GetProperty("peers").EnumerateArray()
            .Select(p => (p.GetProperty("endpoint").GetString()!, p.GetProperty("name").GetString())).ToArray();
        return (root.GetProperty("endpoint").GetString()!, peers);
    }

    public async Task<IReadOnlyList<PrometheusText.Sample>> MetricsAsync(string name) => PrometheusText.Parse(await GetAsync(name, "/metrics")).Samples;

    /// <summary>Waits until every node in <paramref name="observers"/> names a live peering of <paramref name="subject"/>'s current endpoint id.</summary>
    public async Task WaitUntilNamedAsync(string subject, IEnumerable<string> observers, TimeSpan bound)
    {
        var (id, _) = await Eventually.UntilAsync($"{subject} to answer /peers", bound, async () =>
        {
            var peers = await PeersAsync(subject);
            return (true, peers, "");
        }, Diagnostics);
        foreach (var observer in observers)
        {
            await Eventually.UntilAsync($"{observer} to name endpoint {id} '{subject}'", bound, async () =>
            {
                var (_, peers) = await PeersAsync(observer);
                var done = peers.Any(p => p.Endpoint == id && p.Name == subject);
                return (done, string.Join(", ", peers.Select(p => $"{p.Name ?? "unnamed"}={p.Endpoint}")));
            }, Diagnostics);
        }
    }

    /// <summary>The lines of <paramref name="name"/>'s current log (its latest start).</summary>
    public string[] LogLines(string name)
    {
        using var reader = new StreamReader(new FileStream(_running[name].LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Waits until <paramref name="name"/>'s log has a line containing every one of <paramref name="parts"/>; returns it.</summary>
    public Task<string> WaitForLogAsync(string name, TimeSpan bound, params string[] parts) =>
        Eventually.UntilAsync($"{name} to log a line containing {string.Join(" and ", parts.Select(p => $"'{p}'"))}", bound, () =>
        {
            var line = LogLines(name).FirstOrDefault(l => parts.All(p => l.Contains(p, StringComparison.Ordinal)));
            return Task.FromResult((line is not null, line ?? "", "no such line yet"));
        }, Diagnostics);

    /// <summary>Every process's log tail; marks the run failed so the logs are kept.</summary>
    public string Diagnostics()
    {
        _failed = true;
        var text = new StringBuilder($"Logs are in {WorkDir} (kept). Layout: {LayoutPath}\n");
        foreach (var p in _exited.Concat(_running.Values)) text.AppendLine(p.Describe(20));
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _running.Values) await p.DisposeAsync();
        foreach (var p in _exited) await p.DisposeAsync();
        foreach (var c in _http.Values) c.Dispose();
        if (_failed) Console.Error.WriteLine($"Spillway.EndToEnd.Tests: kept the nodes' logs in {WorkDir}");
        else try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
    }
}
