using Spillway.Telemetry.Layout;

namespace Spillway.Telemetry.Tests.Layout;

public class LayoutValidationTests
{
    private const string NodeFields = "name, role, host, peering_port, metrics_port, websocket_port, inbound_messages_per_second, socket_buffer_bytes, certificate, key, buffers or limits";
    private const string BufferFields = "peer_buffer_size, peer_buffer_bytes, peer_overflow_policy, websocket_buffer_size, websocket_buffer_bytes, websocket_overflow_policy or stats_reset_interval";
    private const string Policies = "(expected disconnect, drop_oldest or drop_newest)";
    private const string DurationForm = "(expected an integer followed by ms, s, m or h, e.g. \"250ms\", \"10s\", \"1m\")";

    private static LayoutException Fails(string json, string source = LayoutTestData.Source) =>
        Assert.Throws<LayoutException>(() => LayoutLoader.Parse(json, source));

    private static void AssertProblem(LayoutException e, string? field, string problem, string source = LayoutTestData.Source)
    {
        Assert.Equal(source, e.Source);
        Assert.Equal(field, e.Field);
        Assert.Equal(problem, e.Problem);
        Assert.Equal(field is null ? $"{source}: {problem}" : $"{source}: {field}: {problem}", e.Message);
    }

    [Fact]
    public void The_test_layout_itself_is_valid()
    {
        Assert.Equal(2, LayoutLoader.Parse(LayoutTestData.Valid, LayoutTestData.Source).Nodes.Count);
    }

    // ---- whole-file problems ----

    [Fact]
    public void Missing_file()
    {
        string path = Path.Combine(Path.GetTempPath(), "spillway-no-such-dir", "cluster.json");
        var e = Assert.Throws<LayoutException>(() => LayoutLoader.Load(path));
        Assert.Equal($"{path}: file not found", e.Message);
        AssertProblem(e, null, "file not found", path);
    }

    [Fact]
    public void Not_json_reports_line_and_position()
    {
        var e = Fails("{\n  \"nodes\": [\n    }\n", "broken.json");
        Assert.Equal("broken.json: not valid JSON at line 3, position 5: '}' is an invalid start of a value.", e.Message);
        Assert.Null(e.Field);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(e.InnerException);
    }

    [Fact]
    public void Empty_file_is_not_json()
    {
        var e = Fails("", "empty.json");
        Assert.StartsWith("empty.json: not valid JSON at line 1, position 1: ", e.Message);
    }

    [Fact]
    public void Trailing_commas_are_not_json()
    {
        var e = Fails(LayoutTestData.Edit(("\"websocket_port\": 9301 }", "\"websocket_port\": 9301, }")));
        Assert.StartsWith("test.json: not valid JSON at line 4, position ", e.Message);
    }

    [Theory]
    [InlineData("[]", "top level must be a JSON object, got an array")]
    [InlineData("\"nodes\"", "top level must be a JSON object, got a string")]
    [InlineData("42", "top level must be a JSON object, got the number 42")]
    [InlineData("null", "top level must be a JSON object, got null")]
    public void Top_level_not_an_object(string json, string problem) => AssertProblem(Fails(json), null, problem);

    [Theory]
    [InlineData("{}", "required property missing")]
    [InlineData("""{ "buffers": {} }""", "required property missing")]
    [InlineData("""{ "nodes": [] }""", "must list at least one node")]
    [InlineData("""{ "nodes": {} }""", "expected an array of nodes, got an object")]
    [InlineData("""{ "nodes": "manager" }""", "expected an array of nodes, got a string")]
    [InlineData("""{ "nodes": null }""", "expected an array of nodes, got null")]
    public void Nodes_missing_empty_or_not_an_array(string json, string problem) => AssertProblem(Fails(json), "nodes", problem);

    // ---- unknown and duplicate property names ----

    [Theory]
    [InlineData("\"nodes\": [", "\"node\": [], \"nodes\": [", "node", "unknown property (expected tls, buffers, heartbeat, limits or nodes)")]
    [InlineData("\"metrics_port\": 9102", "\"metric_port\": 9102", "nodes[1].metric_port", "unknown property (expected " + NodeFields + ")")]
    [InlineData("\"role\": \"manager\"", "\"role\": \"manager\", \"Role\": \"manager\"", "nodes[0].Role", "unknown property (expected " + NodeFields + ")")]
    [InlineData("\"stats_reset_interval\": \"10s\"", "\"stats_reset_intervall\": \"10s\"", "buffers.stats_reset_intervall", "unknown property (expected " + BufferFields + ")")]
    [InlineData("\"peer_buffer_size\": 7", "\"peer_buffer_sizes\": 7", "nodes[1].buffers.peer_buffer_sizes", "unknown property (expected " + BufferFields + ")")]
    [InlineData("\"host\": \"10.0.0.2\"", "\"host\": \"10.0.0.2\", \"host\": \"10.0.0.3\"", "nodes[1].host", "duplicate property")]
    [InlineData("\"nodes\": [", "\"buffers\": {}, \"nodes\": [", "buffers", "duplicate property")]
    public void Unknown_or_duplicate_property(string find, string replace, string field, string problem) =>
        AssertProblem(Fails(LayoutTestData.Edit((find, replace))), field, problem);

    // ---- required node fields ----

    [Theory]
    [InlineData("\"name\": \"worker-1\", ", "nodes[1].name")]
    [InlineData("\"role\": \"worker\", ", "nodes[1].role")]
    [InlineData("\"host\": \"10.0.0.2\", ", "nodes[1].host")]
    [InlineData("\"peering_port\": 9202, ", "nodes[1].peering_port")]
    [InlineData("\"metrics_port\": 9102,", "nodes[1].metrics_port")]
    public void Missing_required_node_field(string remove, string field) =>
        AssertProblem(Fails(LayoutTestData.Edit((remove, ""))), field, "required property missing");

    [Fact]
    public void Node_that_is_not_an_object()
    {
        var e = Fails("""{ "nodes": [ "manager" ] }""");
        AssertProblem(e, "nodes[0]", "expected a node object, got a string");
    }

    // ---- names ----

    [Theory]
    [InlineData("", "name must not be empty")]
    [InlineData("worker 1", "name 'worker 1' has characters outside [A-Za-z0-9._-]")]
    [InlineData("wörker", "name 'wörker' has characters outside [A-Za-z0-9._-]")]
    [InlineData("worker/1", "name 'worker/1' has characters outside [A-Za-z0-9._-]")]
    [InlineData("a\\\"b", "name 'a\"b' has characters outside [A-Za-z0-9._-]")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345", "name is 65 characters long, at most 64 allowed")]
    public void Bad_name(string name, string problem) =>
        AssertProblem(Fails(LayoutTestData.Edit(("\"name\": \"worker-1\"", $"\"name\": \"{name}\""))), "nodes[1].name", problem);

    [Fact]
    public void Duplicate_name()
    {
        var e = Fails(LayoutTestData.Edit(("\"name\": \"worker-1\"", "\"name\": \"manager\"")));
        Assert.Equal("test.json: nodes[1].name: duplicate name 'manager' (also nodes[0].name)", e.Message);
        AssertProblem(e, "nodes[1].name", "duplicate name 'manager' (also nodes[0].name)");
    }

    // ---- roles ----

    [Theory]
    [InlineData("workers")]
    [InlineData("Worker")]
    [InlineData("")]
    public void Unknown_role(string role)
    {
        var e = Fails(LayoutTestData.Edit(("\"role\": \"worker\"", $"\"role\": \"{role}\"")));
        AssertProblem(e, "nodes[1].role", $"unknown role '{role}' (expected manager, logger, proxy or worker)");
    }

    // ---- ports ----

    [Theory]
    [InlineData("\"peering_port\": 9202", "\"peering_port\": 0", "nodes[1].peering_port", "port 0 is outside 1..65535")]
    [InlineData("\"peering_port\": 9202", "\"peering_port\": 65536", "nodes[1].peering_port", "port 65536 is outside 1..65535")]
    [InlineData("\"metrics_port\": 9101", "\"metrics_port\": -1", "nodes[0].metrics_port", "port -1 is outside 1..65535")]
    [InlineData("\"websocket_port\": 9301", "\"websocket_port\": 100000", "nodes[0].websocket_port", "port 100000 is outside 1..65535")]
    public void Port_outside_range(string find, string replace, string field, string problem) =>
        AssertProblem(Fails(LayoutTestData.Edit((find, replace))), field, problem);

    [Fact]
    public void Port_clash_across_nodes_on_the_same_host_names_both_fields()
    {
        var e = Fails(LayoutTestData.Edit(("\"host\": \"10.0.0.2\"", "\"host\": \"10.0.0.1\""), ("\"peering_port\": 9202", "\"peering_port\": 9101")));
        Assert.Equal("test.json: nodes[1].peering_port: port 9101 on host 10.0.0.1 is already used by nodes[0].metrics_port", e.Message);
        AssertProblem(e, "nodes[1].peering_port", "port 9101 on host 10.0.0.1 is already used by nodes[0].metrics_port");
    }

    [Fact]
    public void Port_clash_with_a_websocket_port()
    {
        var e = Fails(LayoutTestData.Edit(("\"host\": \"10.0.0.2\"", "\"host\": \"10.0.0.1\""), ("\"metrics_port\": 9102", "\"metrics_port\": 9301")));
        AssertProblem(e, "nodes[1].metrics_port", "port 9301 on host 10.0.0.1 is already used by nodes[0].websocket_port");
    }

    [Fact]
    public void Port_clash_within_one_node()
    {
        var e = Fails(LayoutTestData.Edit(("\"websocket_port\": 9301", "\"websocket_port\": 9201")));
        AssertProblem(e, "nodes[0].websocket_port", "port 9201 on host 10.0.0.1 is already used by nodes[0].peering_port");
    }

    [Fact]
    public void Port_clash_compares_host_names_case_insensitively()
    {
        var e = Fails("""
            { "nodes": [
              { "name": "a", "role": "logger", "host": "localhost", "peering_port": 1, "metrics_port": 2 },
              { "name": "b", "role": "worker", "host": "LocalHost", "peering_port": 3, "metrics_port": 1 }
            ] }
            """);
        AssertProblem(e, "nodes[1].metrics_port", "port 1 on host LocalHost is already used by nodes[0].peering_port");
    }

    // ---- buffers ----

    [Theory]
    [InlineData("\"peer_buffer_size\": 100", "\"peer_buffer_size\": 0", "buffers.peer_buffer_size", "must be at least 1, got 0")]
    [InlineData("\"peer_buffer_size\": 7", "\"peer_buffer_size\": -5", "nodes[1].buffers.peer_buffer_size", "must be at least 1, got -5")]
    [InlineData("\"peer_buffer_size\": 7", "\"peer_buffer_size\": 7, \"websocket_buffer_size\": 0", "nodes[1].buffers.websocket_buffer_size", "must be at least 1, got 0")]
    [InlineData("\"peer_buffer_size\": 100", "\"peer_buffer_size\": 2147483648", "buffers.peer_buffer_size", "must be at most 268435456 (the maximum), got 2147483648")]
    public void Buffer_size_below_one(string find, string replace, string field, string problem) =>
        AssertProblem(Fails(LayoutTestData.Edit((find, replace))), field, problem);

    [Theory]
    [InlineData("\"drop_newest\"", "\"drop-newest\"", "buffers.peer_overflow_policy", "drop-newest")]
    [InlineData("\"disconnect\"", "\"DISCONNECT\"", "nodes[1].buffers.websocket_overflow_policy", "DISCONNECT")]
    [InlineData("\"drop_newest\"", "\"\"", "buffers.peer_overflow_policy", "")]
    public void Unknown_overflow_policy(string find, string replace, string field, string text) =>
        AssertProblem(Fails(LayoutTestData.Edit((find, replace))), field, $"unknown overflow policy '{text}' {Policies}");

    [Theory]
    [InlineData("1min", "malformed duration '1min' " + DurationForm)]
    [InlineData("1.5s", "malformed duration '1.5s' " + DurationForm)]
    [InlineData("10", "malformed duration '10' " + DurationForm)]
    [InlineData("s", "malformed duration 's' " + DurationForm)]
    [InlineData("", "malformed duration '' " + DurationForm)]
    [InlineData(" 1m", "malformed duration ' 1m' " + DurationForm)]
    [InlineData("1M", "malformed duration '1M' " + DurationForm)]
    [InlineData("1 m", "malformed duration '1 m' " + DurationForm)]
    [InlineData("+1m", "malformed duration '+1m' " + DurationForm)]
    [InlineData("0s", "duration must be positive, got '0s'")]
    [InlineData("0ms", "duration must be positive, got '0ms'")]
    [InlineData("-5s", "duration must be positive, got '-5s'")]
    [InlineData("99999999999h", "duration '99999999999h' is too large")]
    [InlineData("99999999999999999999ms", "duration '99999999999999999999ms' is too large")]
    public void Bad_duration(string text, string problem) =>
        AssertProblem(Fails(LayoutTestData.Edit(("\"10s\"", $"\"{text}\""))), "buffers.stats_reset_interval", problem);

    [Fact]
    public void Bad_duration_in_a_node_override()
    {
        var e = Fails(LayoutTestData.Edit(("\"peer_buffer_size\": 7", "\"stats_reset_interval\": \"0h\"")));
        AssertProblem(e, "nodes[1].buffers.stats_reset_interval", "duration must be positive, got '0h'");
    }

    // ---- inbound rate, socket buffer ----

    [Theory]
    [InlineData("\"inbound_messages_per_second\": 5", "\"inbound_messages_per_second\": -1", "nodes[1].inbound_messages_per_second", "must not be negative, got -1")]
    [InlineData("\"socket_buffer_bytes\": 4096", "\"socket_buffer_bytes\": -4096", "nodes[1].socket_buffer_bytes", "must not be negative, got -4096")]
    [InlineData("\"socket_buffer_bytes\": 4096", "\"socket_buffer_bytes\": 4294967296", "nodes[1].socket_buffer_bytes", "must be at most 2147483647, got 4294967296")]
    public void Negative_rate_or_socket_buffer(string find, string replace, string field, string problem) =>
        AssertProblem(Fails(LayoutTestData.Edit((find, replace))), field, problem);

    [Fact]
    public void Zero_rate_and_socket_buffer_mean_unlimited_and_os_default()
    {
        var layout = LayoutLoader.Parse(
            LayoutTestData.Edit(("\"inbound_messages_per_second\": 5", "\"inbound_messages_per_second\": 0"), ("\"socket_buffer_bytes\": 4096", "\"socket_buffer_bytes\": 0")),
            LayoutTestData.Source);
        Assert.Equal(0, layout.Nodes[1].InboundMessagesPerSecond);
        Assert.Equal(0, layout.Nodes[1].SocketBufferBytes);
    }

    // ---- wrong JSON types ----

    [Theory]
    [InlineData("\"peering_port\": 9202", "\"peering_port\": \"9202\"", "nodes[1].peering_port", "expected an integer, got a string")]
    [InlineData("\"metrics_port\": 9101", "\"metrics_port\": 9101.5", "nodes[0].metrics_port", "expected an integer, got 9101.5")]
    [InlineData("\"metrics_port\": 9101", "\"metrics_port\": 9.1e3", "nodes[0].metrics_port", "expected an integer, got 9.1e3")]
    [InlineData("\"websocket_port\": 9301", "\"websocket_port\": null", "nodes[0].websocket_port", "expected an integer, got null")]
    [InlineData("\"peering_port\": 9202", "\"peering_port\": 99999999999999999999", "nodes[1].peering_port", "integer 99999999999999999999 is out of range")]
    [InlineData("\"inbound_messages_per_second\": 5", "\"inbound_messages_per_second\": true", "nodes[1].inbound_messages_per_second", "expected an integer, got the boolean true")]
    [InlineData("\"socket_buffer_bytes\": 4096", "\"socket_buffer_bytes\": [4096]", "nodes[1].socket_buffer_bytes", "expected an integer, got an array")]
    [InlineData("\"name\": \"worker-1\"", "\"name\": 1", "nodes[1].name", "expected a string, got the number 1")]
    [InlineData("\"role\": \"manager\"", "\"role\": {}", "nodes[0].role", "expected a string, got an object")]
    [InlineData("\"host\": \"10.0.0.2\"", "\"host\": null", "nodes[1].host", "expected a string, got null")]
    [InlineData("\"peer_buffer_size\": 100", "\"peer_buffer_size\": \"100\"", "buffers.peer_buffer_size", "expected an integer, got a string")]
    [InlineData("\"drop_newest\"", "false", "buffers.peer_overflow_policy", "expected a string, got the boolean false")]
    [InlineData("\"10s\"", "10", "buffers.stats_reset_interval", "expected a duration string (an integer followed by ms, s, m or h, e.g. \"250ms\", \"10s\", \"1m\"), got the number 10")]
    [InlineData("\"buffers\": { \"peer_buffer_size\": 7, \"websocket_overflow_policy\": \"disconnect\" }", "\"buffers\": []", "nodes[1].buffers", "expected an object, got an array")]
    [InlineData("\"buffers\": { \"peer_buffer_size\": 100, \"peer_overflow_policy\": \"drop_newest\", \"stats_reset_interval\": \"10s\" }", "\"buffers\": null", "buffers", "expected an object, got null")]
    public void Wrong_json_type_names_the_field(string find, string replace, string field, string problem) =>
        AssertProblem(Fails(LayoutTestData.Edit((find, replace))), field, problem);

    [Fact]
    public void Empty_host()
    {
        AssertProblem(Fails(LayoutTestData.Edit(("\"host\": \"10.0.0.2\"", "\"host\": \" \""))), "nodes[1].host", "host must not be empty");
    }

    [Fact]
    public void Exception_message_format_is_exact()
    {
        var e = new LayoutException("a.json", "nodes[2].role", "bad");
        Assert.Equal("a.json: nodes[2].role: bad", e.Message);
        Assert.Equal("a.json", e.Source);
        Assert.Equal("a.json", ((Exception)e).Source);
        var whole = new LayoutException("a.json", null, "file not found");
        Assert.Equal("a.json: file not found", whole.Message);
    }
}
