namespace Spillway.WebSockets.Tests;

public class OptionsTests
{
    [Fact]
    public void Defaults_follow_the_design()
    {
        var options = new WebSocketGatewayOptions();
        Assert.Equal("/v1/messages/json", options.Path);
        Assert.Equal(16 * 1024 * 1024, options.MaxMessageSize);
        Assert.Equal(WebSocketGatewayOptions.DefaultVersion, options.Version);
        options.Validate();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_maximum_message_size_below_one_is_rejected(int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WebSocketGatewayOptions { MaxMessageSize = size }.Validate());

    [Fact]
    public void A_path_without_a_leading_slash_is_rejected() =>
        Assert.Throws<ArgumentException>(() => new WebSocketGatewayOptions { Path = "v1/messages/json" }.Validate());

    [Theory]
    [InlineData("short", "short")]
    [InlineData("", "")]
    public void Short_close_reasons_are_kept(string reason, string expected) =>
        Assert.Equal(expected, WebSocketConnection.TruncateReason(reason));

    [Fact]
    public void Long_close_reasons_are_cut_to_123_bytes()
    {
        var truncated = WebSocketConnection.TruncateReason(new string('é', 200));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(truncated) <= 123);
        Assert.EndsWith("…", truncated);
    }
}
