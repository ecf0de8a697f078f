using System.Text;
using System.Text.Json;
using Spillway.Telemetry.Export;

namespace Spillway.Telemetry.Tests.Export;

public sealed class PeersReportJsonTests
{
    private static readonly PeersReport Report = new(
        Node: "worker-1",
        Endpoint: "7f3a-endpoint",
        Peers:
        [
            new PeerReportRow("e-manager", "manager", PeerReportRow.Initiated, "10.0.0.1:9999", 1000, "drop_oldest", 3, 17, 42, 0),
            new PeerReportRow("e-ext", null, PeerReportRow.Accepted, "[::1]:40000", 64, "disconnect", 0, 64, 5, 2),
        ],
        Clients:
        [
            new PeerReportRow("e-ws", null, PeerReportRow.Accepted, "127.0.0.1:51234", 256, "drop_newest", 1, 9, 0, 0, "zeek-intel"),
        ]);

    private const string ReportJson =
        """{"node":"worker-1","endpoint":"7f3a-endpoint","peers":[""" +
        """{"endpoint":"e-manager","name":"manager","direction":"initiated","address":"10.0.0.1:9999","capacity":1000,"policy":"drop_oldest","queued":3,"recent_max":17,"overflows":42,"disconnects":0,"application":null},""" +
        """{"endpoint":"e-ext","name":null,"direction":"accepted","address":"[::1]:40000","capacity":64,"policy":"disconnect","queued":0,"recent_max":64,"overflows":5,"disconnects":2,"application":null}""" +
        """],"clients":[""" +
        """{"endpoint":"e-ws","name":null,"direction":"accepted","address":"127.0.0.1:51234","capacity":256,"policy":"drop_newest","queued":1,"recent_max":9,"overflows":0,"disconnects":0,"application":"zeek-intel"}""" +
        """]}""";

    [Fact]
    public void Serializes_with_the_exact_snake_case_field_names()
    {
        Assert.Equal(ReportJson, Encoding.UTF8.GetString(PeersReportJson.Serialize(Report)));
    }

    [Fact]
    public void Round_trips()
    {
        var parsed = PeersReportJson.Parse(PeersReportJson.Serialize(Report));
        Assert.Equal(Report.Node, parsed.Node);
        Assert.Equal(Report.Endpoint, parsed.Endpoint);
        Assert.Equal(Report.Peers, parsed.Peers);
        Assert.Equal(Report.Clients, parsed.Clients);
    }

    [Fact]
    public void Parses_a_document_written_elsewhere_ignoring_unknown_fields_and_without_application()
    {
        var json = """
            { "version": 2, "node": "logger-1", "endpoint": "e1", "clients": [],
              "peers": [ { "endpoint": "e2", "name": "worker-1", "direction": "accepted", "address": "h:1",
                           "capacity": 10, "policy": "drop_oldest", "queued": 1, "recent_max": 2,
                           "overflows": 3, "disconnects": 4, "extra": true } ] }
            """;
        var parsed = PeersReportJson.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal("logger-1", parsed.Node);
        Assert.Empty(parsed.Clients);
        Assert.Equal(new PeerReportRow("e2", "worker-1", "accepted", "h:1", 10, "drop_oldest", 1, 2, 3, 4), Assert.Single(parsed.Peers));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("""{"endpoint":"e","peers":[],"clients":[]}""")]              // node missing
    [InlineData("""{"node":null,"endpoint":"e","peers":[],"clients":[]}""")]  // node null
    [InlineData("""{"node":"n","endpoint":"e","peers":[{"endpoint":"x"}],"clients":[]}""")] // row fields missing
    public void Rejects_malformed_documents(string json)
    {
        Assert.ThrowsAny<JsonException>(() => PeersReportJson.Parse(Encoding.UTF8.GetBytes(json)));
    }
}
