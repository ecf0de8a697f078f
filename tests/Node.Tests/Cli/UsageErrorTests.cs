using System.Net;
using System.Net.Sockets;

namespace Spillway.Node.Tests.Cli;

/// <summary>
/// The CLI's error contract (docs/cli.md): a usage or configuration error exits 2 with exactly one line on stderr, naming the
/// option or layout field and the problem, and nothing on stdout.
/// </summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spillway-cli-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string[], string> OptionErrors => new()
    {
        { [], "spillway: no command given; use one of node, demo, top, watch, certs (spillway --help)" },
        { ["--bogus"], "spillway: unknown option '--bogus'; see 'spillway --help'" },
        { ["demo", "--bogus"], "spillway demo: unknown option '--bogus'; see 'spillway demo --help'" },
        { ["demo", "extra"], "spillway demo: unexpected argument 'extra'; see 'spillway demo --help'" },
        { ["node"], "spillway node: --layout is required" },
        { ["node", "--layout", "x.json"], "spillway node: --name is required" },
        { ["top"], "spillway top: --layout is required" },
        { ["demo", "--port-offset", "abc"], "spillway demo: --port-offset: expected a whole number of ports from -9000 to 56000, got 'abc'" },
        { ["demo", "--port-offset", "60000"], "spillway demo: --port-offset: expected a whole number of ports from -9000 to 56000, got '60000'" },
        { ["demo", "--duration", "-1"], "spillway demo: --duration: expected a whole number of seconds from 1 to 604800, got '-1'" },
        { ["demo", "--duration", "1.5"], "spillway demo: --duration: expected a whole number of seconds from 1 to 604800, got '1.5'" },
        { ["demo", "--exporter", "foo"], "spillway demo: --exporter: unknown exporter 'foo'; use opentelemetry or prometheus-net" },
        { ["watch", "--count", "x"], "spillway watch: --count: expected a whole number of messages from 1 to 2147483647, got 'x'" },
        { ["watch", "--count", "0"], "spillway watch: --count: expected a whole number of messages from 1 to 2147483647, got '0'" },
        { ["watch", "--url", "http://127.0.0.1:1/"], "spillway watch: --url must be a ws:// or wss:// URL, got 'http://127.0.0.1:1/'" },
        { ["watch", "--url", "ws://127.0.0.1:1/", "--app", "my tool"], "spillway watch: --app: X-Application-Name 'my tool' holds 'U+0020'; allowed are letters, digits and / _ - . = : * @" },
        { ["watch", "--url", "ws://127.0.0.1:1/", "--app", ""], "spillway watch: --app: must not be empty" },
    };

    [Theory]
    [MemberData(nameof(OptionErrors))]
    public async Task AUsageErrorExitsTwoWithOneLine(string[] args, string expected)
    {
        var result = await SpillwayCli.RunAsync(args);
        AssertOneLineError(result, expected);
    }

    [Fact]
    public async Task AMissingLayoutFileIsNamed()
    {
        var path = Path.Combine(_dir, "missing.json");
        AssertOneLineError(await SpillwayCli.RunAsync("node", "--layout", path, "--name", "a"), $"spillway node: {path}: file not found");
    }

    [Fact]
    public async Task AnUnresolvableHostNamesTheLayoutField()
    {
        var path = WriteLayout("nohost.invalid", 1, 2);
        var result = await SpillwayCli.RunAsync("node", "--layout", path, "--name", "a");
        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith($"spillway node: {path}: nodes[0].host: host 'nohost.invalid' does not resolve (", line);
        Assert.EndsWith("); use an address or name of this machine, such as 127.0.0.1", line);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task AHostOfAnotherMachineNamesTheLayoutField()
    {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine.
        var path = WriteLayout("192.0.2.7", 1, 2);
        AssertOneLineError(await SpillwayCli.RunAsync("node", "--layout", path, "--name", "a"),
            $"spillway node: {path}: nodes[0].host: host '192.0.2.7' is not an address of this machine; a node listens on its own host");
    }

    [Theory]
    [InlineData("peering_port")]
    [InlineData("metrics_port")]
    public async Task APortInUseNamesThePortAndTheField(string field)
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var held = ((IPEndPoint)holder.LocalEndPoint!).Port;
        var free = FreePorts.Reserve(1)[0];
        var path = field == "peering_port" ? WriteLayout("127.0.0.1", held, free) : WriteLayout("127.0.0.1", free, held);
        AssertOneLineError(await SpillwayCli.RunAsync("node", "--layout", path, "--name", "a"),
            $"spillway node: {path}: nodes[0].{field}: port {held} on 127.0.0.1 is already in use (another process holds it)");
    }

    [Fact]
    public async Task HelpIsNotAnError()
    {
        var result = await SpillwayCli.RunAsync("demo", "--help");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("--no-monitoring", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task ABadWebSocketAppLabelCapNamesTheLayoutField()
    {
        var path = Path.Combine(_dir, "applabels.json");
        File.WriteAllText(path,
            """{"tls":"off","limits":{"websocket_app_labels":1001},"nodes":[{"name":"a","role":"manager","host":"127.0.0.1","peering_port":1,"metrics_port":2}]}""");
        AssertOneLineError(await SpillwayCli.RunAsync("node", "--layout", path, "--name", "a"),
            $"spillway node: {path}: limits.websocket_app_labels: must be at most 1000 (the maximum), got 1001");
    }

    private string WriteLayout(string host, int peeringPort, int metricsPort)
    {
        var path = Path.Combine(_dir, $"layout-{Guid.NewGuid():N}.json");
        File.WriteAllText(path,
            $$"""{"tls":"off","nodes":[{"name":"a","role":"manager","host":"{{host}}","peering_port":{{peeringPort}},"metrics_port":{{metricsPort}}}]}""");
        return path;
    }

    private static void AssertOneLineError(SpillwayCli.Result result, string expected)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal([expected], result.StderrLines);
        Assert.Equal("", result.Stdout);
    }
}
