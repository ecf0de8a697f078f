namespace Spillway.Engine.Wire;

/// <summary>
/// Malformed bytes on the peering wire. The message is a human-readable reason that is logged when the
/// peering is closed (e.g. "unknown value type tag 0x2a").
/// </summary>
internal sealed class WireFormatException : Exception
{
    public WireFormatException(string message) : base(message) { }
}
