using System.Text.Json;

namespace Spillway.Telemetry.Export;

/// <summary>
/// JSON of the /peers document: snake_case fields (node, endpoint, peers, clients; per row endpoint, name, direction,
/// address, capacity, policy, queued, recent_max, overflows, disconnects, application). Unknown fields are ignored on read; missing
/// fields and nulls where a value is required are errors.
/// </summary>
public static class PeersReportJson
{
    public const string ContentType = "application/json; charset=utf-8";

    public static byte[] Serialize(PeersReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.SerializeToUtf8Bytes(report, PeersReportJsonContext.Default.PeersReport);
    }

    /// <exception cref="JsonException">Not a valid /peers document.</exception>
    public static PeersReport Parse(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, PeersReportJsonContext.Default.PeersReport)
        ?? throw new JsonException("The /peers document is null.");
}
