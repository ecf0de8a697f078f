namespace Spillway.WebSockets.Json;

/// <summary>
/// Thrown when a WebSocket client's JSON cannot be decoded (or a value cannot be encoded) under
/// Broker's JSON API v1. <see cref="Exception.Message"/> is the "context" text sent back to the
/// client in <c>{"type":"error","code":"deserialization_failed","context":"…"}</c>.
/// </summary>
internal sealed class BrokerJsonException : Exception
{
    public BrokerJsonException(string message) : base(message) { }

    public BrokerJsonException(string message, Exception innerException) : base(message, innerException) { }
}
