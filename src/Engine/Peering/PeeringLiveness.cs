namespace Spillway.Engine.Peering;

/// <summary>
/// The heartbeat of one peering. Every interval it checks whether anything arrived from the remote since
/// the last check and whether anything was sent to it. It sends a heartbeat only when nothing else was
/// sent, so a busy peering carries no extra frames, and declares the remote silent once nothing has
/// arrived for the timeout. The read and drain loops only set flags (no clock read per message); the
/// clock is read once per interval here.
/// </summary>
internal sealed class PeeringLiveness : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly Action _sendHeartbeat;
    private readonly Action<TimeSpan> _onSilent;
    private ITimer? _timer;
    private int _heard;
    private int _sent;
    private long _lastHeard;
    private long _heartbeatsReceived;
    private int _stopped;

    public PeeringLiveness(TimeProvider time, TimeSpan interval, TimeSpan timeout, Action sendHeartbeat, Action<TimeSpan> onSilent)
    {
        _time = time;
        _interval = interval;
        _timeout = timeout;
        _sendHeartbeat = sendHeartbeat;
        _onSilent = onSilent;
    }

    /// <summary>Heartbeat frames received so far (tests observe the exchange through it).</summary>
    public long HeartbeatsReceived => Interlocked.Read(ref _heartbeatsReceived);

    public void Start()
    {
        Volatile.Write(ref _lastHeard, _time.GetTimestamp());
        _timer = _time.CreateTimer(static s => ((PeeringLiveness)s!).Tick(), this, _interval, _interval);
        if (Volatile.Read(ref _stopped) == 1) _timer.Dispose(); // closed while starting
    }

    /// <summary>Bytes arrived from the remote (called once per socket read, not per frame).</summary>
    public void MarkHeard()
    {
        if (Volatile.Read(ref _heard) == 0) Volatile.Write(ref _heard, 1);
    }

    /// <summary>Something other than a heartbeat went out (called once per socket write batch).</summary>
    public void MarkSent()
    {
        if (Volatile.Read(ref _sent) == 0) Volatile.Write(ref _sent, 1);
    }

    public void OnHeartbeatReceived() => Interlocked.Increment(ref _heartbeatsReceived);

    /// <summary>Sends a heartbeat now, outside the schedule: a probe whose write fails fast if the remote host reset the connection.</summary>
    public void Probe()
    {
        if (Volatile.Read(ref _stopped) == 0) _sendHeartbeat();
    }

    internal void Tick()
    {
        if (Volatile.Read(ref _stopped) == 1) return;
        var now = _time.GetTimestamp();
        if (Interlocked.Exchange(ref _heard, 0) == 1)
            Volatile.Write(ref _lastHeard, now);
        else
        {
            var silent = _time.GetElapsedTime(Volatile.Read(ref _lastHeard), now);
            if (silent >= _timeout)
            {
                Dispose();
                _onSilent(silent);
                return;
            }
        }
        if (Interlocked.Exchange(ref _sent, 0) == 0) _sendHeartbeat();
    }

    public void Dispose()
    {
        Volatile.Write(ref _stopped, 1);
        _timer?.Dispose();
    }
}
