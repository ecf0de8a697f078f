using Spillway.Engine.Buffers;
using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>
/// An external client attached to an endpoint (the WebSocket layer uses one per connection): its own
/// send buffer and stats under an ephemeral id, subscriptions of its own, and a publish that enters the
/// endpoint exactly like a local publish. The transport drains <see cref="TakeBatch"/> and encodes the
/// frames for its own protocol.
/// </summary>
public sealed class ClientSession : RemoteSubscriber, IDisposable
{
    private readonly Endpoint _endpoint;
    private readonly CancellationTokenSource _closed = new();
    private int _closing;

    internal ClientSession(Endpoint endpoint, PeerInfo info, SendBuffer buffer, IReadOnlyList<string> subscriptions)
        : base(info, SubscriberKind.Client, buffer, subscriptions)
    {
        _endpoint = endpoint;
    }

    /// <summary>Cancelled when the session ends (disposed, endpoint shut down, or a disconnect overflow).</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Why the session ended, once it has.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>
    /// Publishes into the endpoint as a local publish; the client does not receive its own message. A closed
    /// session publishes nothing and returns 0 (a transport may still be reading what the client sent last).
    /// </summary>
    public int Publish(string topic, Value value) =>
        _closed.IsCancellationRequested ? 0 : _endpoint.Publish(topic, value, origin: this);

    public ValueTask WaitForDataAsync(CancellationToken cancellationToken) => Buffer.WaitForDataAsync(cancellationToken);

    /// <summary>Moves up to <paramref name="destination"/>.Length encoded data frames out of the buffer (docs/wire-format.md).</summary>
    public int TakeBatch(Span<byte[]?> destination) => Buffer.TakeBatch(destination);

    internal override void OnOverflowDisconnect() => Close("backpressure overflow");

    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1) return;
        CloseReason = reason;
        // Closed first, then wake the drain: a transport woken by the buffer must already see the session closed.
        _closed.Cancel();
        Buffer.Close();
        _endpoint.OnClientClosed(this, reason);
    }

    public void Dispose() => Close("client disconnected");
}
