namespace Spillway.Engine.Peering;

/// <summary>Why a peering ended, as a type a program can switch on; the event's text says it in words.</summary>
public enum CloseReason
{
    Unpeered,
    BackpressureOverflow,
    MalformedInput,
    ConnectionLost,
    HandshakeRefused,
    HandshakeTimeout,
    Shutdown,
    HeartbeatTimeout,
    AuthenticationFailed,
    BudgetExceeded,
}
