namespace Spillway.Telemetry.Tests.Layout;

/// <summary>A small valid layout that exercises every field, plus helpers to break it one edit at a time.</summary>
internal static class LayoutTestData
{
    public const string Source = "test.json";

    public const string Valid = """
        {
          "buffers": { "peer_buffer_size": 100, "peer_overflow_policy": "drop_newest", "stats_reset_interval": "10s" },
          "nodes": [
            { "name": "manager", "role": "manager", "host": "10.0.0.1", "peering_port": 9201, "metrics_port": 9101, "websocket_port": 9301 },
            { "name": "worker-1", "role": "worker", "host": "10.0.0.2", "peering_port": 9202, "metrics_port": 9102,
              "inbound_messages_per_second": 5, "socket_buffer_bytes": 4096,
              "buffers": { "peer_buffer_size": 7, "websocket_overflow_policy": "disconnect" } }
          ]
        }
        """;

    /// <summary><see cref="Valid"/> with each <c>find</c> (which must occur exactly once) replaced.</summary>
    public static string Edit(params (string Find, string Replace)[] edits)
    {
        string json = Valid;
        foreach (var (find, replace) in edits)
        {
            int first = json.IndexOf(find, StringComparison.Ordinal);
            Assert.True(first >= 0, $"'{find}' not in the test layout");
            Assert.True(json.IndexOf(find, first + 1, StringComparison.Ordinal) < 0, $"'{find}' occurs more than once in the test layout");
            json = string.Concat(json.AsSpan(0, first), replace, json.AsSpan(first + find.Length));
        }
        return json;
    }

    /// <summary>The repository root (the directory holding Telemetry.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Telemetry.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException($"Telemetry.sln not found above {AppContext.BaseDirectory}");
        }
    }

    public static string ExamplePath => Path.Combine(RepositoryRoot, "examples", "cluster.json");
}
