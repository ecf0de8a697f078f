using System.Collections.Concurrent;
using System.Net;
using Spillway.Engine.Data;

namespace Spillway.WebSockets.Tests;

public class RoundTripTests
{
    private static KeyValuePair<Value, Value> Entry(Value key, Value value) => KeyValuePair.Create(key, value);

    private static Value NestedVector(int levels)
    {
        Value value = new CountValue(1);
        for (var i = 0; i < levels; i++) value = new VectorValue(value);
        return value;
    }

    private static Value NestedTable(int levels)
    {
        Value value = new CountValue(1);
        for (var i = 0; i < levels; i++) value = new TableValue(Entry(new CountValue(1), value));
        return value;
    }

    private static Value NestedSet(int levels)
    {
        Value value = new CountValue(1);
        for (var i = 0; i < levels; i++) value = new SetValue(value, new StringValue("level " + i));
        return value;
    }

    /// <summary>Every Broker data type, with edge values, and nested containers.</summary>
    public static readonly Value[] AllTypes =
    [
        Value.None,
        Value.Of(true),
        Value.Of(false),
        new CountValue(0),
        new CountValue(ulong.MaxValue),
        new IntegerValue(long.MinValue),
        new IntegerValue(long.MaxValue),
        new IntegerValue(-42),
        new RealValue(0.1),
        new RealValue(-2.5e-300),
        new RealValue(double.MaxValue),
        new RealValue(double.Epsilon),
        new RealValue(3),
        new TimespanValue(0),
        new TimespanValue(-1_500_000_000),
        new TimespanValue(3 * 86_400_000_000_000L),
        new TimespanValue(123_456_789),
        new TimespanValue(long.MaxValue),
        new TimestampValue(0),
        new TimestampValue(1_700_000_000_123_456_789),
        new TimestampValue(1_700_000_000_123_000_000),
        new TimestampValue(-1_000_000_001),
        new StringValue(""),
        new StringValue("plain"),
        new StringValue("quotes \" backslash \\ slash / newline \n tab \t nul \0 <&'> é 日本 🚀"),
        new EnumValue("Log::WRITER_ASCII"),
        new AddressValue(IPAddress.Parse("192.168.1.1")),
        new AddressValue(IPAddress.Parse("0.0.0.0")),
        new AddressValue(IPAddress.Parse("2001:db8::1")),
        new AddressValue(IPAddress.IPv6Loopback),
        new AddressValue(IPAddress.Parse("::ffff:10.0.0.1")),
        new SubnetValue(IPAddress.Parse("10.0.0.0"), 8),
        new SubnetValue(IPAddress.Parse("0.0.0.0"), 0),
        new SubnetValue(IPAddress.Parse("2001:db8::"), 32),
        new SubnetValue(IPAddress.Parse("fe80::1"), 128),
        new PortValue(80, PortProtocol.Tcp),
        new PortValue(53, PortProtocol.Udp),
        new PortValue(8, PortProtocol.Icmp),
        new PortValue(0, PortProtocol.Unknown),
        new PortValue(65535, PortProtocol.Tcp),
        new VectorValue(),
        new VectorValue(new CountValue(1), new StringValue("a"), Value.None, new RealValue(1.5)),
        new SetValue(),
        new SetValue(new CountValue(1), new CountValue(2), new StringValue("x")),
        new TableValue(),
        new TableValue(
            Entry(new StringValue("a"), new CountValue(1)),
            Entry(new AddressValue(IPAddress.Parse("10.1.2.3")), new PortValue(443, PortProtocol.Tcp))),
        new VectorValue(
            new VectorValue(new SetValue(new TableValue(
                Entry(new VectorValue(new CountValue(1), new CountValue(2)), new SetValue(new StringValue("s"))),
                Entry(new EnumValue("E::A"), new VectorValue())))),
            new TableValue(Entry(new SubnetValue(IPAddress.Parse("192.168.0.0"), 16),
                new TableValue(Entry(new TimespanValue(1000), new TimestampValue(5)))))),
        new SetValue(new TableValue(Entry(Value.Of(true), Value.None)), new VectorValue(new IntegerValue(-1))),
        // The deepest legal containers (32 levels).
        NestedVector(32),
        NestedTable(32),
        NestedSet(32),
    ];

    [Fact]
    public async Task Every_data_type_survives_peer_to_client_to_peer()
    {
        await using var cluster = await TestCluster.StartAsync();
        var echoed = new ConcurrentDictionary<int, Value>();
        using var subscription = cluster.Peer.Subscribe("/echo/", (topic, value) => echoed[int.Parse(topic["/echo/".Length..])] = value);
        var client = await cluster.ConnectSubscribedAsync("/values/");
        await cluster.NodeKnowsPeerSubscriptionsAsync();

        // The client echoes every received message unchanged but for the topic.
        var echo = Task.Run(async () =>
        {
            for (var i = 0; i < AllTypes.Length; i++)
            {
                var text = await client.ReceiveTextAsync();
                Assert.StartsWith("""{"type":"data-message","topic":"/values/""", text);
                await client.SendTextAsync(text.Replace("\"topic\":\"/values/", "\"topic\":\"/echo/"));
            }
        });
        for (var i = 0; i < AllTypes.Length; i++)
            Assert.Equal(1, cluster.Peer.Publish($"/values/{i}", AllTypes[i]));
        await echo;

        await Eventually.HoldsAsync(() => echoed.Count == AllTypes.Length, () => $"{echoed.Count} of {AllTypes.Length} echoed");
        for (var i = 0; i < AllTypes.Length; i++)
            Assert.Equal(AllTypes[i], echoed[i]);
    }

    /// <summary>
    /// An ASCII string from a peer reaches the gateway as the bytes the wire carried and is written into JSON from them
    /// (<see cref="StringValue"/>; other text is decoded on arrival); the client must get exactly the text the same
    /// string published here encodes to, escapes included.
    /// </summary>
    [Fact]
    public async Task A_string_from_a_peer_reaches_the_client_as_exactly_the_json_of_the_same_text()
    {
        string[] texts =
        [
            "",
            "plain ascii",
            "quotes \" backslash \\ slash / newline \n tab \t nul \0 del \u007f <&'> +",
            "control \u0001\u001f, line separator \u2028, paragraph \u2029",
            "é 日本 € \U0001F680 \U0001F600",
            new string('a', 70_000) + " \"\n", // ASCII over the 64 KiB write chunk
            new string('é', 40_000) + "\U0001F680", // the same in UTF-8, decoded on arrival
        ];
        await using var cluster = await TestCluster.StartAsync();
        var client = await cluster.ConnectSubscribedAsync("/s/");

        for (var i = 0; i < texts.Length; i++) Assert.Equal(1, cluster.Peer.Publish($"/s/{i}", new StringValue(texts[i])));

        for (var i = 0; i < texts.Length; i++)
        {
            var expected = System.Text.Encoding.UTF8.GetString(Spillway.WebSockets.Json.BrokerJson.EncodeDataMessage($"/s/{i}", new StringValue(texts[i])));
            Assert.Equal(expected, await client.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task Messages_around_a_large_one_arrive_exactly_through_the_reused_encoding_buffer()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = await cluster.ConnectSubscribedAsync("/r/");
        var large = new string('x', 200_000); // grows the send loop's buffer past what it keeps

        cluster.Peer.Publish("/r/a", new CountValue(1));
        cluster.Peer.Publish("/r/large", new StringValue(large));
        cluster.Peer.Publish("/r/b", new StringValue("é"));
        cluster.Peer.Publish("/r/c", new CountValue(3));

        Assert.Equal(TestClient.DataMessage("/r/a", "count", "1"), await client.ReceiveTextAsync());
        Assert.Equal(TestClient.DataMessage("/r/large", "string", $"\"{large}\""), await client.ReceiveTextAsync());
        Assert.Equal(TestClient.DataMessage("/r/b", "string", "\"é\""), await client.ReceiveTextAsync());
        Assert.Equal(TestClient.DataMessage("/r/c", "count", "3"), await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_value_json_cannot_carry_is_skipped_with_a_log_line_and_later_messages_flow()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = await cluster.ConnectSubscribedAsync("/r/");

        cluster.Peer.Publish("/r/nan", new RealValue(double.NaN));
        cluster.Peer.Publish("/r/inf", new VectorValue(new RealValue(double.PositiveInfinity)));
        cluster.Peer.Publish("/r/ok", new CountValue(7));

        Assert.Equal(TestClient.DataMessage("/r/ok", "count", "7"), await client.ReceiveTextAsync());
        await Eventually.HoldsAsync(
            () => cluster.Logs.Lines.Count(l => l.StartsWith("Warning") && l.Contains("JSON cannot carry")) == 2,
            () => string.Join("\n", cluster.Logs.Lines));
        Assert.Contains(cluster.Logs.Lines, l => l.Contains("skipped a message on /r/nan"));
    }
}
