using Spillway.Engine.Data;

namespace Spillway.Engine.Wire;

/// <summary>The first frame each side sends: protocol version, endpoint id and subscriptions.</summary>
internal sealed record HelloFrame(ushort Version, EndpointId EndpointId, IReadOnlyList<string> Subscriptions);
