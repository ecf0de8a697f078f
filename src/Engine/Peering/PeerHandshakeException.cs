namespace Spillway.Engine.Peering;

/// <summary>A connection that did not become a peering, with the typed reason beside the operator's text.</summary>
internal sealed class PeerHandshakeException(CloseReason reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public CloseReason Reason { get; } = reason;
}
