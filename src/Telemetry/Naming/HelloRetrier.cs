using Spillway.Engine.Data;
using Spillway.Engine.Peering;

namespace Spillway.Telemetry.Naming;

/// <summary>
/// Repeats this node's hello to every peering that has not acknowledged it, once per interval, until it
/// does or the peering ends. A hello travels through the send buffer like any message, so it can be
/// dropped by the overflow policy, or the peer may refuse the name while an older peering of this node
/// still looks alive to it; a repeat after that heals the name without anyone restarting.
/// </summary>
internal sealed class HelloRetrier : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<EndpointId, PeerInfo> _pending = new();
    private readonly Action<PeerInfo> _sendHello;
    private readonly ITimer _timer;

    public HelloRetrier(TimeProvider time, TimeSpan interval, Action<PeerInfo> sendHello)
    {
        _sendHello = sendHello;
        _timer = time.CreateTimer(static s => ((HelloRetrier)s!).Resend(), this, interval, interval);
    }

    /// <summary>A hello went to a new peering; repeat it until <see cref="Acknowledged"/>.</summary>
    public void Awaiting(PeerInfo peering)
    {
        lock (_gate) _pending[peering.EndpointId] = peering;
    }

    /// <summary>The peer named us; returns false if it was not waited for (a repeated acknowledgement).</summary>
    public bool Acknowledged(EndpointId peer)
    {
        lock (_gate) return _pending.Remove(peer);
    }

    public void Ended(PeerInfo peering)
    {
        lock (_gate)
            if (_pending.TryGetValue(peering.EndpointId, out var p) && ReferenceEquals(p, peering)) _pending.Remove(peering.EndpointId);
    }

    public bool IsAwaiting(EndpointId peer)
    {
        lock (_gate) return _pending.ContainsKey(peer);
    }

    internal void Resend()
    {
        PeerInfo[] due;
        lock (_gate) due = _pending.Values.ToArray();
        foreach (var peering in due) _sendHello(peering);
    }

    public void Dispose() => _timer.Dispose();
}
