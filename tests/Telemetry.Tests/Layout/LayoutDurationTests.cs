using Spillway.Telemetry.Layout;

namespace Spillway.Telemetry.Tests.Layout;

public class LayoutDurationTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("1ms", 1)]
    [InlineData("10s", 10_000)]
    [InlineData("1m", 60_000)]
    [InlineData("90m", 5_400_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("007s", 7_000)]
    public void Parses(string text, long milliseconds)
    {
        Assert.True(LayoutDuration.TryParse(text, out var duration, out var problem));
        Assert.Null(problem);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData(250, "250ms")]
    [InlineData(1_000, "1s")]
    [InlineData(1_500, "1500ms")]
    [InlineData(60_000, "1m")]
    [InlineData(90_000, "90s")]
    [InlineData(5_400_000, "90m")]
    [InlineData(7_200_000, "2h")]
    public void Formats_in_the_largest_exact_unit(long milliseconds, string expected) =>
        Assert.Equal(expected, LayoutDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Format_refuses_what_a_layout_cannot_hold()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LayoutDuration.Format(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayoutDuration.Format(TimeSpan.FromTicks(1)));
    }
}
