namespace Spillway.Engine.Buffers;

/// <summary>
/// The bounded send buffer of one peering (items: encoded frames) or client (items: decoded messages):
/// a ring, its overflow policy and its statistics, all under one lock that belongs to this buffer alone.
/// Many publishers push; one drain loop takes batches. Per message: no allocation, no clock read (the
/// window uses <see cref="CoarseClock.Now"/>), no lock shared with any other buffer.
/// </summary>
internal sealed class SendBuffer<T>
{
    private readonly T[] _ring;
    private readonly Lock _lock = new();
    private readonly CoarseClock _clock;
    private readonly long _windowTicks;
    private readonly AsyncSignal _signal = new();
    private int _head;
    private int _count;
    private int _recentMax;
    private long _windowStart;
    private long _offered;
    private long _overflows;
    private bool _closed;

    public SendBuffer(int capacity, OverflowPolicy policy, CoarseClock clock, TimeSpan statsResetInterval)
    {
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "buffer size must be at least 1");
        if (statsResetInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(statsResetInterval), statsResetInterval, "stats reset interval must be positive");
        if (!Enum.IsDefined(policy))
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown overflow policy");
        _ring = new T[capacity];
        Capacity = capacity;
        Policy = policy;
        _clock = clock;
        _windowTicks = clock.ToTimestampTicks(statsResetInterval);
        _windowStart = clock.Now;
    }

    public int Capacity { get; }
    public OverflowPolicy Policy { get; }

    /// <summary>True once closed by a disconnect overflow or <see cref="Close"/>; pushes are refused from then on.</summary>
    public bool IsClosed { get { lock (_lock) return _closed; } }

    public PushOutcome Push(T message)
    {
        bool wake;
        lock (_lock)
        {
            if (_closed) return PushOutcome.Closed;
            // Every push an open buffer sees counts once, queued or dropped: offered = taken + overflows + queued.
            _offered++;
            RollWindowIfDue(_clock.Now);
            if (_count == _ring.Length) return Overflow(message);
            var tail = _head + _count;
            if (tail >= _ring.Length) tail -= _ring.Length;
            _ring[tail] = message;
            _count++;
            if (_count > _recentMax) _recentMax = _count;
            wake = _count == 1;
        }
        // Only the empty -> non-empty transition needs to wake the drain loop; it empties the ring before waiting again.
        if (wake) _signal.Set();
        return PushOutcome.Queued;
    }

    private PushOutcome Overflow(T message)
    {
        // An overflow leaves queued unchanged (docs/design.md, buffer statistics).
        switch (Policy)
        {
            case OverflowPolicy.DropOldest:
                _overflows++;
                _ring[_head] = message;
                if (++_head == _ring.Length) _head = 0;
                return PushOutcome.DroppedOldest;
            case OverflowPolicy.DropNewest:
                _overflows++;
                return PushOutcome.DroppedNewest;
            default:
                _overflows++;
                ClearLocked();
                _closed = true;
                return PushOutcome.OverflowDisconnect;
        }
    }

    /// <summary>Moves up to <paramref name="destination"/>.Length items, oldest first, out of the buffer.</summary>
    public int TakeBatch(Span<T> destination)
    {
        lock (_lock)
        {
            RollWindowIfDue(_clock.Now);
            var n = Math.Min(destination.Length, _count);
            for (var i = 0; i < n; i++)
            {
                destination[i] = _ring[_head];
                _ring[_head] = default!;
                if (++_head == _ring.Length) _head = 0;
            }
            _count -= n;
            return n;
        }
    }

    /// <summary>Completes when the buffer may have become non-empty (or was closed, or on cancellation).</summary>
    public ValueTask WaitForDataAsync(CancellationToken cancellationToken) => _signal.WaitAsync(cancellationToken);

    /// <summary>Wakes the drain loop without queuing anything (e.g. a control frame is waiting beside the buffer).</summary>
    public void Wake() => _signal.Set();

    /// <summary>Closes the buffer and discards what was queued; returns how many messages were discarded.</summary>
    public int Close()
    {
        int discarded;
        lock (_lock)
        {
            discarded = _count;
            ClearLocked();
            _closed = true;
        }
        _signal.Set();
        return discarded;
    }

    /// <summary>Reads the statistics, applying the window rule against the exact time <paramref name="now"/>.</summary>
    public BufferStats GetStats(long now)
    {
        lock (_lock)
        {
            RollWindowIfDue(now);
            return new BufferStats(_ring.Length, Policy, _count, _recentMax, _overflows, _offered);
        }
    }

    /// <summary>Reads the statistics at the clock's exact current time.</summary>
    public BufferStats GetStats() => GetStats(_clock.Refresh());

    private void RollWindowIfDue(long now)
    {
        // Zeek's rule: strictly more than one interval since the window began -> new window starting at
        // the current fill level, not zero.
        if (now - _windowStart > _windowTicks)
        {
            _windowStart = now;
            _recentMax = _count;
        }
    }

    private void ClearLocked()
    {
        Array.Clear(_ring);
        _head = 0;
        _count = 0;
    }
}
