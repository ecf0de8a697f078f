using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>
/// An external client attached to an endpoint (the WebSocket layer uses one per connection): its own
/// send buffer and stats under an ephemeral id, subscriptions of its own, and a publish that enters the
/// endpoint exactly like a local publish. The transport drains decoded messages with
/// <see cref="TakeBatch"/> and encodes them for its own protocol; the wire format stays in the engine.
/// </summary>
public sealed class ClientSession : IDisposable
{
    private readonly ClientSubscriber _subscriber;

    internal ClientSession(ClientSubscriber subscriber) => _subscriber = subscriber;

    /// <summary>The session's ephemeral endpoint id (the key of its row in the stats table).</summary>
    public EndpointId Id => _subscriber.Id;

    /// <summary>Who the client is: ephemeral id and remote address.</summary>
    public PeerInfo Info => _subscriber.Info;

    /// <summary>The application the client named itself with (<see cref="PeerInfo.Application"/>); null if it gave none.</summary>
    public string? Application => _subscriber.Info.Application;

    /// <summary>The topic prefixes the client subscribed to.</summary>
    public IReadOnlyList<string> Subscriptions => _subscriber.Subscriptions;

    /// <summary>Cancelled when the session ends (disposed, endpoint shut down, or a disconnect overflow).</summary>
    public CancellationToken Closed => _subscriber.Closed;

    /// <summary>Why the session ended, once it has; branch on this, not on <see cref="CloseDetail"/>.</summary>
    public CloseReason? CloseReason => _subscriber.CloseReason;

    /// <summary>Free text for the log about why the session ended, once it has.</summary>
    public string? CloseDetail => _subscriber.CloseDetail;

    /// <summary>
    /// Publishes into the endpoint as a local publish; the client does not receive its own message. A closed
    /// session publishes nothing and returns 0 (a transport may still be reading what the client sent last).
    /// </summary>
    public int Publish(string topic, Value value) => _subscriber.Publish(topic, value);

    /// <summary>Completes when messages may be waiting (or the session closed, or on cancellation).</summary>
    public ValueTask WaitForDataAsync(CancellationToken cancellationToken) => _subscriber.Buffer.WaitForDataAsync(cancellationToken);

    /// <summary>Moves up to <paramref name="destination"/>.Length messages, oldest first, out of the session's buffer.</summary>
    /// <remarks>A batch stops at <see cref="EndpointOptions.DrainBatchBytes"/>, so what the transport holds outside the buffer stays bounded in bytes.</remarks>
    public int TakeBatch(Span<ClientMessage> destination) => _subscriber.Buffer.TakeBatch(destination, EndpointOptions.DrainBatchBytes);

    /// <summary>Ends the session once (later calls are no-ops): detaches it from the endpoint and discards what was queued.</summary>
    public void Close(CloseReason reason, string detail) => _subscriber.Close(reason, detail);

    /// <summary>The client left: closes with <see cref="Peering.CloseReason.ConnectionLost"/>.</summary>
    public void Dispose() => Close(Peering.CloseReason.ConnectionLost, "client disconnected");
}
