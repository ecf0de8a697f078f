namespace Spillway.Engine.Peering;

/// <summary>
/// Why a peering or a client session ended. Code branches and counts on this value; the free detail text
/// beside it (<see cref="PeerEventArgs.Detail"/>, <see cref="ClientSession.CloseDetail"/>) is for the log
/// and may be reworded at will.
/// </summary>
public enum CloseReason
{
    /// <summary>Removed on request (<see cref="SpillwayEndpoint.Unpeer(string, int)"/> or <see cref="SpillwayEndpoint.Unpeer(Spillway.Engine.Data.EndpointId)"/>).</summary>
    Unpeered,
    /// <summary>A push found the send buffer full under the <c>disconnect</c> overflow policy.</summary>
    BackpressureOverflow,
    /// <summary>The remote sent bytes that are not a valid frame or message.</summary>
    MalformedInput,
    /// <summary>The connection broke or the remote side closed it (for a client: the client left).</summary>
    ConnectionLost,
    /// <summary>The hello exchange was refused (bad magic or version, the endpoint itself, already peered).</summary>
    HandshakeRefused,
    /// <summary>The hello exchange did not complete within <see cref="EndpointOptions.HandshakeTimeout"/>.</summary>
    HandshakeTimeout,
    /// <summary>This endpoint is shutting down.</summary>
    Shutdown,
    /// <summary>The remote stayed silent for longer than the heartbeat timeout.</summary>
    HeartbeatTimeout,
    /// <summary>The remote failed to authenticate.</summary>
    AuthenticationFailed,
    /// <summary>The remote exceeded a configured budget (rate, size or count).</summary>
    BudgetExceeded,
    /// <summary>An unexpected failure inside this endpoint; the detail names the exception.</summary>
    InternalError,
}
