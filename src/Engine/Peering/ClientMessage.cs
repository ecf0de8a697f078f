using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>One message queued for a client: topic, value, and the peer it arrived from (null when it was
/// published on this endpoint or by another of its clients).</summary>
/// <param name="Topic">The message's topic.</param>
/// <param name="Value">The message's value; values are immutable, so every client shares one instance.</param>
/// <param name="Origin">The peer the message came from, or null for a publish on this endpoint.</param>
public readonly record struct ClientMessage(string Topic, Value Value, EndpointId? Origin);
