using System.Text.Json.Serialization;

namespace Spillway.Telemetry.Export;

/// <summary>Source-generated System.Text.Json metadata for the /peers document (snake_case names, strict on read).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(PeersReport))]
internal sealed partial class PeersReportJsonContext : JsonSerializerContext;
