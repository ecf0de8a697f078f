using Spillway.Telemetry.Layout;

namespace Spillway.Telemetry.Tests.Layout;

public class HeartbeatLayoutTests
{
    private static ClusterLayout Parse(string heartbeat) =>
        LayoutLoader.Parse(LayoutTestData.Edit(("\"nodes\": [", $"\"heartbeat\": {heartbeat}, \"nodes\": [")), LayoutTestData.Source);

    [Fact]
    public void Defaults_detect_a_dead_peer_within_5_s_and_reach_the_engine()
    {
        var layout = LayoutLoader.Parse(LayoutTestData.Valid, LayoutTestData.Source);
        Assert.Equal(HeartbeatSettings.Default, layout.Heartbeat);
        var options = layout.ToEndpointOptions(layout.Nodes[0]);
        Assert.Equal(TimeSpan.FromSeconds(1), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(4), options.HeartbeatTimeout);
        Assert.True(options.HeartbeatInterval + options.HeartbeatTimeout <= TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("heartbeat", layout.ToJson());
    }

    [Fact]
    public void Set_values_reach_the_engine_and_survive_a_round_trip_and_a_port_offset()
    {
        var layout = Parse("""{ "interval": "500ms", "timeout": "3s" }""");
        var options = layout.ToEndpointOptions(layout.Nodes[1]);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), options.HeartbeatTimeout);
        Assert.Equal(layout, LayoutLoader.Parse(layout.ToJson(), "again"));
        Assert.Equal(layout.Heartbeat, layout.WithPortOffset(10).Heartbeat);
        Assert.NotEqual(layout, LayoutLoader.Parse(LayoutTestData.Valid, LayoutTestData.Source));
    }

    [Theory]
    [InlineData("""{ "timeout": "1s" }""", "heartbeat.timeout", "must be longer than the interval (1s), got 1s")]
    [InlineData("""{ "interval": "5s" }""", "heartbeat.timeout", "must be longer than the interval (5s), got 4s")]
    [InlineData("""{ "interval": "0s" }""", "heartbeat.interval", "duration must be positive, got '0s'")]
    [InlineData("""{ "period": "1s" }""", "heartbeat.period", "unknown property (expected interval or timeout)")]
    [InlineData("""[]""", "heartbeat", "expected an object, got an array")]
    public void Bad_settings_name_the_field(string heartbeat, string field, string problem)
    {
        var e = Assert.Throws<LayoutException>(() => Parse(heartbeat));
        Assert.Equal(field, e.Field);
        Assert.Equal(problem, e.Problem);
    }
}
