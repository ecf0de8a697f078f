using Spillway.Engine.Data;
using Spillway.Node.Tests.Cluster;
using Spillway.Telemetry.Layout;

namespace Spillway.Node.Tests.Cli;

/// <summary><c>spillway watch</c> against a real node: it names itself with <c>X-Application-Name</c>.</summary>
public sealed class WatchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spillway-watch-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(null, "spillway-watch")]
    [InlineData("ops-console", "ops-console")]
    public async Task Watch_sends_its_application_name_and_prints_the_message(string? app, string expectedApplication)
    {
        await using var cluster = new TestCluster([("manager", NodeRole.Manager, 0, null)], webSocketNode: "manager");
        await cluster.StartAsync("manager");
        var ca = Path.Combine(_dir, "ca.crt");
        await File.WriteAllTextAsync(ca, cluster.Authority.ExportCertificatePem());
        string[] args = ["watch", "--url", cluster.WebSocketUri("manager").ToString(), "--ca", ca, "--count", "1", "watched/"];
        var watch = SpillwayCli.RunAsync(app is null ? args : [.. args, "--app", app]);

        string?[] seen = [];
        await Eventually.HoldsAsync(async () => (seen = (await cluster.PeersAsync("manager")).Clients.Select(c => c.Application).ToArray())
                .SequenceEqual([expectedApplication]),
            () => Task.FromResult($"/peers shows clients [{string.Join(", ", seen)}]; watch: {(watch.IsCompleted ? watch.Result.ToString() : "running")}"));
        await Eventually.HoldsAsync(async () => (await cluster.ScrapeAsync("manager"))
                .Value("spillway_websocket_clients", ("node", "manager"), ("app", expectedApplication)) == 1,
            () => Task.FromResult($"no app=\"{expectedApplication}\" series"));

        cluster["manager"].Endpoint.Publish("watched/x", Value.Of(42UL));
        var result = await watch;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("watched/x  count  42\n", result.Stdout.ReplaceLineEndings("\n"));
    }
}
