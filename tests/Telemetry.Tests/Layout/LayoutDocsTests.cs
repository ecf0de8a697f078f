using System.Text.RegularExpressions;
using Spillway.Telemetry.Layout;

namespace Spillway.Telemetry.Tests.Layout;

public class LayoutDocsTests
{
    private static string DocsPath => Path.Combine(LayoutTestData.RepositoryRoot, "docs", "layout.md");

    private static string[] JsonBlocks() =>
        Regex.Matches(File.ReadAllText(DocsPath).ReplaceLineEndings("\n"), "```json\n(.*?)```", RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value)
            .ToArray();

    [Fact]
    public void Docs_examples_parse_and_the_first_is_the_demo()
    {
        var blocks = JsonBlocks();
        Assert.Equal(2, blocks.Length);
        Assert.Equal(DemoLayout.Create(), LayoutLoader.Parse(blocks[0], "docs/layout.md"));
        var overrides = LayoutLoader.Parse(blocks[1], "docs/layout.md");
        Assert.Equal(Engine.Buffers.OverflowPolicy.Disconnect, overrides.Get("logger").Buffers.PeerOverflowPolicy);
        Assert.Equal(4096, overrides.Get("logger").Buffers.PeerBufferSize);
    }

    [Fact]
    public void Docs_list_every_property_name()
    {
        string docs = File.ReadAllText(DocsPath);
        string[] properties =
        [
            "buffers", "nodes", "name", "role", "host", "peering_port", "metrics_port", "websocket_port",
            "inbound_messages_per_second", "socket_buffer_bytes", "peer_buffer_size", "peer_overflow_policy",
            "websocket_buffer_size", "websocket_overflow_policy", "stats_reset_interval",
            "limits", "peer_buffer_bytes", "websocket_buffer_bytes", "max_connections", "max_connections_per_address",
            "handshake_max_bytes", "max_frame_size", "frame_read_timeout", "max_subscriptions",
            "websocket_app_labels",
            "websocket_max_connections", "websocket_max_connections_per_address", "max_local_subscriptions",
        ];
        foreach (var p in properties) Assert.Contains($"| `{p}` |", docs);
    }
}
