using Spillway.Engine.Buffers;
using Spillway.Engine.Data;

namespace Spillway.Engine.Peering;

/// <summary>The engine side of a <see cref="ClientSession"/>: its buffer of decoded messages in the subscriber registry.</summary>
internal sealed class ClientSubscriber : RemoteSubscriber
{
    private readonly IClientHost _host;
    private readonly CancellationTokenSource _closed = new();
    private int _closing;

    public ClientSubscriber(IClientHost host, PeerInfo info, SendBuffer<ClientMessage> buffer, IReadOnlyList<string> subscriptions)
        : base(info, SubscriberKind.Client, subscriptions)
    {
        _host = host;
        Buffer = buffer;
    }

    public SendBuffer<ClientMessage> Buffer { get; }
    public CancellationToken Closed => _closed.Token;
    public CloseReason? CloseReason { get; private set; }
    public string? CloseDetail { get; private set; }

    public int Publish(string topic, Value value) =>
        _closed.IsCancellationRequested ? 0 : _host.Publish(topic, value, origin: this);

    public override void Offer(string topic, Value value, EndpointId? origin, ref PublishEncoding encoding)
    {
        if (Buffer.Push(new ClientMessage(topic, value, origin)) == PushOutcome.OverflowDisconnect)
            Close(Peering.CloseReason.BackpressureOverflow, "backpressure overflow");
    }

    public override void Close(CloseReason reason, string detail)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1) return;
        CloseReason = reason;
        CloseDetail = detail;
        // Closed first, then wake the drain: a transport woken by the buffer must already see the session closed.
        _closed.Cancel();
        Buffer.Close();
        _host.OnClientClosed(this, detail);
    }

    public override PeeringStats ReadStats(long now) => ToPeeringStats(Buffer.GetStats(now));
}
