using System.Collections.Concurrent;
using System.Net;
using Spillway.Engine.Data;

namespace Spillway.WebSockets.Tests;

/// <summary>
/// What Spillway sends, Broker's decoder reads; what Broker and Zeek clients send, Spillway reads
/// (docs/broker-compat.md). Real ClientWebSocket against a real Kestrel, values from a real TCP peer.
/// </summary>
public class BrokerInteropTests
{
    private static KeyValuePair<Value, Value> Entry(Value key, Value value) => KeyValuePair.Create(key, value);

    /// <summary>A value published by the peer and the exact JSON a client receives for it.</summary>
    public static TheoryData<string, string> PeerValuesAsClientJson => new()
    {
        { "real 42", """{"type":"data-message","topic":"/out/real 42","@data-type":"real","data":42.0}""" },
        { "real -0.5", """{"type":"data-message","topic":"/out/real -0.5","@data-type":"real","data":-0.5}""" },
        { "timespan 0", """{"type":"data-message","topic":"/out/timespan 0","@data-type":"timespan","data":"0s"}""" },
        { "timespan 90 min", """{"type":"data-message","topic":"/out/timespan 90 min","@data-type":"timespan","data":"5400s"}""" },
        { "timespan 1.5 ms", """{"type":"data-message","topic":"/out/timespan 1.5 ms","@data-type":"timespan","data":"1500us"}""" },
        { "timestamp ms", """{"type":"data-message","topic":"/out/timestamp ms","@data-type":"timestamp","data":"2022-04-10T07:00:00.120"}""" },
        { "timestamp ns", """{"type":"data-message","topic":"/out/timestamp ns","@data-type":"timestamp","data":"2022-04-10T07:00:00.123456789"}""" },
        { "subnet", """{"type":"data-message","topic":"/out/subnet","@data-type":"subnet","data":"192.168.1.0/24"}""" },
        { "mapped address", """{"type":"data-message","topic":"/out/mapped address","@data-type":"address","data":"192.168.0.1"}""" },
        { "set", """{"type":"data-message","topic":"/out/set","@data-type":"set","data":[{"@data-type":"count","data":3},{"@data-type":"integer","data":-1},{"@data-type":"string","data":"a"},{"@data-type":"string","data":"b"}]}""" },
        { "table", """{"type":"data-message","topic":"/out/table","@data-type":"table","data":[{"key":{"@data-type":"address","data":"10.0.0.1"},"value":{"@data-type":"real","data":1.0}},{"key":{"@data-type":"address","data":"2001:db8::1"},"value":{"@data-type":"real","data":2.0}}]}""" },
    };

    private static readonly Dictionary<string, Value> PeerValues = new()
    {
        ["real 42"] = new RealValue(42),
        ["real -0.5"] = new RealValue(-0.5),
        ["timespan 0"] = new TimespanValue(0),
        ["timespan 90 min"] = new TimespanValue(5_400_000_000_000),
        ["timespan 1.5 ms"] = new TimespanValue(1_500_000),
        ["timestamp ms"] = new TimestampValue(1_649_574_000_120_000_000),
        ["timestamp ns"] = new TimestampValue(1_649_574_000_123_456_789),
        ["subnet"] = new SubnetValue(IPAddress.Parse("192.168.1.77"), 24),
        ["mapped address"] = new AddressValue(IPAddress.Parse("::ffff:192.168.0.1")),
        ["set"] = new SetValue(new StringValue("b"), new IntegerValue(-1), new StringValue("a"), new CountValue(3)),
        ["table"] = new TableValue(
            Entry(new AddressValue(IPAddress.Parse("2001:db8::1")), new RealValue(2)),
            Entry(new AddressValue(IPAddress.Parse("::ffff:10.0.0.1")), new RealValue(1))),
    };

    [Fact]
    public async Task A_client_receives_every_value_in_the_exact_spelling_brokers_decoder_reads()
    {
        await using var cluster = await TestCluster.StartAsync();
        var client = await cluster.ConnectSubscribedAsync("/out/");

        foreach (var row in PeerValuesAsClientJson)
            Assert.Equal(1, cluster.Peer.Publish("/out/" + (string)row[0], PeerValues[(string)row[0]]));

        foreach (var row in PeerValuesAsClientJson)
            Assert.Equal((string)row[1], await client.ReceiveTextAsync());
    }

    /// <summary>JSON a Broker or Zeek client may send, and the value the peer receives.</summary>
    public static TheoryData<string, string> ClientJsonAsPeerValues => new()
    {
        { """{"topic":"/in/no type","@data-type":"count","data":1}""", "no type" },
        { """{"type":"data-message","topic":"/in/offset","@data-type":"timestamp","data":"2022-04-10T09:00:00.5+02:00"}""", "offset" },
        { """{"type":"data-message","topic":"/in/compact offset","@data-type":"timestamp","data":"2022-04-10T05:00:00.5-0200"}""", "compact offset" },
        { """{"type":"data-message","topic":"/in/hours offset","@data-type":"timestamp","data":"2022-04-10T09:00:00.5+02"}""", "hours offset" },
        { """{"type":"data-message","topic":"/in/zulu","@data-type":"timestamp","data":"2022-04-10T07:00:00.5Z"}""", "zulu" },
        { """{"type":"data-message","topic":"/in/subnet","@data-type":"subnet","data":"192.168.1.77/24"}""", "subnet" },
        { """{"type":"data-message","topic":"/in/set","@data-type":"set","data":[{"@data-type":"string","data":"b"},{"@data-type":"count","data":1},{"@data-type":"string","data":"a"}]}""", "set" },
        { """{"type":"data-message","topic":"/in/zero","@data-type":"timespan","data":"0s"}""", "zero" },
    };

    private static readonly Dictionary<string, Value> ExpectedAtPeer = new()
    {
        ["no type"] = new CountValue(1),
        ["offset"] = new TimestampValue(1_649_574_000_500_000_000),
        ["compact offset"] = new TimestampValue(1_649_574_000_500_000_000),
        ["hours offset"] = new TimestampValue(1_649_574_000_500_000_000),
        ["zulu"] = new TimestampValue(1_649_574_000_500_000_000),
        ["subnet"] = new SubnetValue(IPAddress.Parse("192.168.1.0"), 24),
        ["set"] = new SetValue(new CountValue(1), new StringValue("a"), new StringValue("b")),
        ["zero"] = new TimespanValue(0),
    };

    [Fact]
    public async Task What_broker_and_zeek_clients_send_is_published_in_canonical_form()
    {
        await using var cluster = await TestCluster.StartAsync();
        var atPeer = new ConcurrentQueue<(string Topic, Value Value)>();
        using var subscription = cluster.Peer.Subscribe("/in/", (t, v) => atPeer.Enqueue((t, v)));
        var sender = await cluster.ConnectAsync();
        await sender.SubscribeAsync();
        var listener = await cluster.ConnectAsync();
        await listener.SubscribeAsync("/in/");
        await cluster.NodeKnowsPeerSubscriptionsAsync();

        foreach (var row in ClientJsonAsPeerValues)
            await sender.SendTextAsync((string)row[0]);

        await Eventually.HoldsAsync(() => atPeer.Count == ClientJsonAsPeerValues.Count, () => $"{atPeer.Count} at the peer");
        Assert.Equal(
            ClientJsonAsPeerValues.Select(row => ("/in/" + (string)row[1], ExpectedAtPeer[(string)row[1]])).ToArray(),
            atPeer.ToArray());
        // Another client sees the canonical spelling, never the one sent.
        Assert.Equal("""{"type":"data-message","topic":"/in/no type","@data-type":"count","data":1}""", await listener.ReceiveTextAsync());
        for (var i = 0; i < 4; i++)
            Assert.EndsWith("\",\"@data-type\":\"timestamp\",\"data\":\"2022-04-10T07:00:00.500\"}", await listener.ReceiveTextAsync());
        Assert.Equal("""{"type":"data-message","topic":"/in/subnet","@data-type":"subnet","data":"192.168.1.0/24"}""", await listener.ReceiveTextAsync());
        Assert.Equal(
            """{"type":"data-message","topic":"/in/set","@data-type":"set","data":[{"@data-type":"count","data":1},{"@data-type":"string","data":"a"},{"@data-type":"string","data":"b"}]}""",
            await listener.ReceiveTextAsync());
        Assert.Equal("""{"type":"data-message","topic":"/in/zero","@data-type":"timespan","data":"0s"}""", await listener.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_bad_data_message_gets_the_exact_error_in_zeeks_terms_and_the_connection_stays_usable()
    {
        await using var cluster = await TestCluster.StartAsync();
        var atPeer = new ConcurrentQueue<(string Topic, Value Value)>();
        using var subscription = cluster.Peer.Subscribe("/in/", (t, v) => atPeer.Enqueue((t, v)));
        var client = await cluster.ConnectAsync();
        await client.SubscribeAsync("/out/");
        await cluster.NodeKnowsPeerSubscriptionsAsync();
        await cluster.PeerKnowsNodeSubscriptionsAsync();

        await client.SendTextAsync("""{"topic":"/in/a","@data-type":"real","data":"1.5"}""");
        await client.SendTextAsync("""{"@data-type":"count","data":1}""");
        await client.SendTextAsync("""{"topic":"/in/a","@data-type":"set","data":[{"@data-type":"count","data":1},{"@data-type":"count","data":1}]}""");
        await client.SendTextAsync("""{"topic":"/in/a","@data-type":"timestamp","data":"2022-04-10T07:00:00+25:00"}""");
        await client.SendTextAsync("""{"topic":"/in/ok","@data-type":"real","data":42.0}""");

        Assert.Equal("""{"type":"error","code":"deserialization_failed","context":"real value must be a JSON number, got string '1.5'"}""", await client.ReceiveTextAsync());
        Assert.Equal("""{"type":"error","code":"deserialization_failed","context":"data message lacks \"topic\""}""", await client.ReceiveTextAsync());
        Assert.Equal("""{"type":"error","code":"deserialization_failed","context":"set holds a duplicate element at index 1"}""", await client.ReceiveTextAsync());
        Assert.Equal(
            """{"type":"error","code":"deserialization_failed","context":"malformed timestamp '2022-04-10T07:00:00+25:00': expected YYYY-MM-DDThh:mm:ss with an optional fraction of up to 9 digits and an optional Z or UTC offset (+hh:mm, +hhmm, +hh)"}""",
            await client.ReceiveTextAsync());
        await Eventually.HoldsAsync(() => atPeer.Count == 1, () => $"{atPeer.Count} at the peer");
        Assert.Equal(("/in/ok", (Value)new RealValue(42)), atPeer.Single());

        cluster.Peer.Publish("/out/reply", new RealValue(3));
        Assert.Equal("""{"type":"data-message","topic":"/out/reply","@data-type":"real","data":3.0}""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Every_client_gets_the_nodes_one_endpoint_id_in_its_ack()
    {
        await using var cluster = await TestCluster.StartAsync();
        var first = await cluster.ConnectAsync();
        var second = await cluster.ConnectAsync();

        var ackA = await first.SubscribeAsync("/a/");
        var ackB = await second.SubscribeAsync();

        Assert.Equal(cluster.Node.Id.ToString(), ackA.GetProperty("endpoint").GetString());
        Assert.Equal(cluster.Node.Id.ToString(), ackB.GetProperty("endpoint").GetString());
    }

    [Fact]
    public async Task A_wrong_path_is_404()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(cluster.HttpBase, "/v1/messages/binary"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
