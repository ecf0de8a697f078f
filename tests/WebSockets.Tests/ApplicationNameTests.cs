using System.Net.WebSockets;

namespace Spillway.WebSockets.Tests;

/// <summary>Issue 12 item 5: the <c>X-Application-Name</c> request header, checked and refused the way Zeek does.</summary>
public class ApplicationNameTests
{
    [Theory]
    [InlineData("zeek-intel")]
    [InlineData("Az09/_-.=:*@")]
    public async Task A_valid_name_travels_with_the_client_session(string name)
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = await cluster.ConnectAsync(name);
        await client.SubscribeAsync("a/");

        var row = Assert.Single(cluster.ClientRows());
        Assert.Equal(name, row.Peer.Application);
    }

    [Fact]
    public async Task A_client_without_the_header_is_unknown()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = await cluster.ConnectAsync();
        await client.SubscribeAsync("a/");

        Assert.Equal("unknown", Assert.Single(cluster.ClientRows()).Peer.Application);
    }

    [Theory]
    [InlineData("!!invalid~~", """{"type":"error","code":"invalid_application_name","context":"X-Application-Name '!!invalid~~' holds '!'; allowed are letters, digits and / _ - . = : * @"}""")]
    [InlineData("my app", """{"type":"error","code":"invalid_application_name","context":"X-Application-Name 'my app' holds 'U+0020'; allowed are letters, digits and / _ - . = : * @"}""")]
    [InlineData("a,b", """{"type":"error","code":"invalid_application_name","context":"X-Application-Name 'a,b' holds ','; allowed are letters, digits and / _ - . = : * @"}""")]
    public async Task An_invalid_name_gets_zeeks_error_then_close_1008_before_any_subscription(string name, string expectedError)
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = await cluster.ConnectAsync(name);

        // Right after the upgrade, before the client has sent anything: the error, then the close.
        Assert.Equal(expectedError, await client.ReceiveTextAsync());
        var close = await client.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Close, close.Type);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        Assert.Equal("Invalid X-Application-Name", close.CloseDescription);
        await client.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        Assert.Empty(cluster.ClientRows());
    }

    [Fact]
    public async Task A_name_over_128_characters_is_refused_the_same_way()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = await cluster.ConnectAsync(new string('a', 129));

        Assert.Equal("""{"type":"error","code":"invalid_application_name","context":"X-Application-Name is 129 characters long, more than the maximum of 128"}""",
            await client.ReceiveTextAsync());
        var close = await client.ReceiveAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        Assert.Equal("Invalid X-Application-Name", close.CloseDescription);
    }
}
