namespace Spillway.Telemetry.Tests.Export;

public sealed class PrometheusTextTests
{
    [Fact]
    public void Parses_families_labels_values_and_escapes()
    {
        var text = """
            # HELP a_total A counter with a \\ backslash and a \n newline.
            # TYPE a_total counter
            a_total{x="1",y="q\"uo\\te\n"} 3 1700000000000
            a_total{x="2",} 4.5e3
            # a plain comment
            # TYPE b gauge
            b -Inf
            # TYPE h histogram
            h_bucket{le="1"} 1
            h_bucket{le="+Inf"} 2
            h_sum 3
            h_count 2

            """;
        var scrape = PrometheusText.Parse(text.Replace("\r\n", "\n"));

        Assert.Equal("A counter with a \\ backslash and a \n newline.", scrape.Families["a_total"].Help);
        Assert.Equal("counter", scrape.Families["a_total"].Type);
        var first = scrape.Find("a_total", ("x", "1"), ("y", "q\"uo\\te\n"));
        Assert.NotNull(first);
        Assert.Equal(3, first.Value);
        Assert.Equal(1700000000000, first.TimestampMs);
        Assert.Equal(4500, scrape.Value("a_total", ("x", "2")));
        Assert.Equal(double.NegativeInfinity, scrape.Value("b"));
        Assert.Equal(4, scrape.Families["h"].Samples.Count);
        Assert.Equal("a_total{x=\"1\",y=\"q\\\"uo\\\\te\\n\"} 3", first.Key);
        Assert.Equal(7, scrape.Samples.Count);
    }

    [Fact]
    public void Accepts_OpenMetrics_counters_and_EOF()
    {
        var scrape = PrometheusText.Parse("# TYPE c counter\nc_total{a=\"b\"} 1\nc_created{a=\"b\"} 1.7e9\n# EOF\n");
        Assert.Equal(2, scrape.Families["c"].Samples.Count);
    }

    [Theory]
    [InlineData("x 1\n", "no TYPE'd family")]
    [InlineData("# HELP x h\nx 1\n", "no TYPE'd family")]
    [InlineData("# TYPE x gauge\nx{a=1} 1\n", "expected '\"'")]
    [InlineData("# TYPE x gauge\nx{1a=\"v\"} 1\n", "invalid label name")]
    [InlineData("# TYPE x gauge\nx{a=\"v\" b=\"w\"} 1\n", "expected ',' or '}'")]
    [InlineData("# TYPE x gauge\nx{a=\"v\\t\"} 1\n", "invalid escape")]
    [InlineData("# TYPE x gauge\nx{a=\"v\",a=\"w\"} 1\n", "duplicate label")]
    [InlineData("# TYPE x gauge\nx{a=\"v\"} one\n", "invalid value")]
    [InlineData("# TYPE x gauge\nx 1\nx 2\n", "duplicate series")]
    [InlineData("# TYPE x gauge\n# TYPE x counter\nx 1\n", "second TYPE")]
    [InlineData("# TYPE x gauge\n# HELP x a\n# HELP x b\nx 1\n", "second HELP")]
    [InlineData("# TYPE x gauges\nx 1\n", "invalid TYPE line")]
    [InlineData("# TYPE 1x gauge\n", "invalid metric name")]
    [InlineData("# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\nx{a=\"b\"} 2\n", "not contiguous")]
    [InlineData("# TYPE x gauge\nx 1\n# HELP x late\n", "after its samples")]
    [InlineData("# TYPE x gauge\nx 1", "line feed")]
    [InlineData("# TYPE x gauge\nx1\n", "whitespace")]
    [InlineData("# TYPE x counter\nx_bucket{le=\"1\"} 1\n", "no TYPE'd family")]
    [InlineData("# TYPE x gauge\nx 1\n# EOF\nx 2\n", "after # EOF")]
    public void Rejects_invalid_expositions(string text, string why)
    {
        var ex = Assert.Throws<FormatException>(() => PrometheusText.Parse(text));
        Assert.Contains(why, ex.Message);
    }

    [Fact]
    public void Name_rules()
    {
        Assert.True(PrometheusText.IsMetricName("a:b_c9"));
        Assert.False(PrometheusText.IsMetricName("9a"));
        Assert.True(PrometheusText.IsLabelName("_a9"));
        Assert.False(PrometheusText.IsLabelName("a:b"));
    }
}
