namespace Spillway.Engine.Buffers;

/// <summary>
/// The bounded send buffer of one peering (items: frames, encoded or not yet: Peering.QueuedFrame) or client (items:
/// decoded messages): a ring, its overflow policy and its statistics, all under one lock that belongs to this buffer
/// alone. Many publishers push; one drain loop takes batches. Per message: no allocation, no clock read (the window
/// uses <see cref="CoarseClock.Now"/>), no lock shared with any other buffer.
/// </summary>
/// <remarks>
/// Two bounds: <see cref="Capacity"/> messages and <see cref="MaxBytes"/> bytes (each item's size comes from
/// the size function given at construction, kept per slot or read again from the item: <see cref="ItemSizes"/>).
/// Whichever a push would pass first is an overflow, handled by the same policy. The ring starts small and doubles
/// on demand up to its capacity, so a large configured capacity costs nothing until the backlog is really there;
/// once grown it stays, so steady state allocates nothing.
/// </remarks>
internal sealed class SendBuffer<T>
{
    /// <summary>Slots the ring starts with (or the capacity, if smaller).</summary>
    internal const int InitialRingSize = 64;

    private T[] _ring;
    // Null unless sizes are ItemSizes.Kept: then one per ring slot.
    private int[]? _sizes;
    private readonly Func<T, int>? _sizeOf;
    // Not readonly: SpinLock is a mutable struct and must be used in place. See Hold() for why a spin lock.
    private SpinLock _lock = new(enableThreadOwnerTracking: false);
    private readonly CoarseClock _clock;
    private readonly long _windowTicks;
    private readonly AsyncSignal _signal = new();
    private int _head;
    private int _count;
    private long _bytes;
    private int _recentMax;
    private long _windowStart;
    private long _offered;
    private long _overflows;
    private bool _closed;
    // Queued items a disconnect overflow cleared: reported by Close as discarded, so they stay on the books.
    private int _clearedByOverflow;

    public SendBuffer(int capacity, OverflowPolicy policy, CoarseClock clock, TimeSpan statsResetInterval,
        long maxBytes = long.MaxValue, Func<T, int>? sizeOf = null, ItemSizes sizes = ItemSizes.Kept)
    {
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "buffer size must be at least 1");
        if (maxBytes < 1)
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "buffer byte bound must be at least 1");
        if (statsResetInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(statsResetInterval), statsResetInterval, "stats reset interval must be positive");
        if (!Enum.IsDefined(policy))
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown overflow policy");
        if (!Enum.IsDefined(sizes))
            throw new ArgumentOutOfRangeException(nameof(sizes), sizes, "unknown item size handling");
        var initial = Math.Min(capacity, InitialRingSize);
        _ring = new T[initial];
        _sizes = sizeOf is not null && sizes == ItemSizes.Kept ? new int[initial] : null;
        _sizeOf = sizeOf;
        Capacity = capacity;
        MaxBytes = maxBytes;
        Policy = policy;
        _clock = clock;
        _windowTicks = clock.ToTimestampTicks(statsResetInterval);
        _windowStart = clock.Now;
    }

    public int Capacity { get; }
    public long MaxBytes { get; }
    public OverflowPolicy Policy { get; }

    /// <summary>Slots allocated now (grows up to <see cref="Capacity"/>); for tests and benchmarks.</summary>
    internal int AllocatedSlots { get { using (Hold()) return _ring.Length; } }

    /// <summary>True once closed by a disconnect overflow or <see cref="Close"/>; pushes are refused from then on.</summary>
    public bool IsClosed { get { using (Hold()) return _closed; } }

    public PushOutcome Push(T message)
    {
        var size = _sizeOf is null ? 0 : _sizeOf(message);
        bool wake;
        using (Hold())
        {
            if (_closed) return PushOutcome.Closed;
            // Every push an open buffer sees counts once, queued or dropped: offered = taken + overflows + queued.
            _offered++;
            RollWindowIfDue(_clock.Now);
            if (_count == Capacity || _bytes + size > MaxBytes) return Overflow(message, size);
            Append(message, size);
            if (_count > _recentMax) _recentMax = _count;
            wake = _count == 1;
        }
        // Only the empty -> non-empty transition needs to wake the drain loop; it empties the ring before waiting again.
        if (wake) _signal.Set();
        return PushOutcome.Queued;
    }

    private void Append(T message, int size)
    {
        if (_count == _ring.Length) Grow();
        var tail = _head + _count;
        if (tail >= _ring.Length) tail -= _ring.Length;
        _ring[tail] = message;
        if (_sizes is not null) _sizes[tail] = size;
        _count++;
        _bytes += size;
    }

    /// <summary>Doubles the ring (up to the capacity), unrolling it so the oldest item is at slot 0.</summary>
    private void Grow()
    {
        var length = (int)Math.Min((long)_ring.Length * 2, Capacity);
        _ring = Unrolled(_ring, length);
        if (_sizes is not null) _sizes = Unrolled(_sizes, length);
        _head = 0;
    }

    /// <summary>A new array of <paramref name="length"/> slots holding the queued part of <paramref name="slots"/>, oldest first.</summary>
    private U[] Unrolled<U>(U[] slots, int length)
    {
        var grown = new U[length];
        var first = Math.Min(_count, slots.Length - _head);
        Array.Copy(slots, _head, grown, 0, first);
        Array.Copy(slots, 0, grown, first, _count - first);
        return grown;
    }

    private PushOutcome Overflow(T message, int size)
    {
        switch (Policy)
        {
            case OverflowPolicy.DropOldest when size <= MaxBytes:
                // Full by count: one out, one in, queued unchanged (docs/design.md, buffer statistics). Full by
                // bytes: as many of the oldest as it takes; each one dropped is an overflow, which keeps
                // offered = taken + overflows + queued.
                do
                {
                    _overflows++;
                    RemoveOldest();
                } while (_count == Capacity || _bytes + size > MaxBytes);
                Append(message, size);
                return PushOutcome.DroppedOldest;
            case OverflowPolicy.DropOldest:
            case OverflowPolicy.DropNewest:
                // A single item larger than the whole byte bound can never fit: it is the one dropped.
                _overflows++;
                return PushOutcome.DroppedNewest;
            default:
                _overflows++;
                _clearedByOverflow = _count;
                ClearLocked();
                _closed = true;
                return PushOutcome.OverflowDisconnect;
        }
    }

    private void RemoveOldest()
    {
        _bytes -= SizeAt(_head);
        _ring[_head] = default!;
        if (++_head == _ring.Length) _head = 0;
        _count--;
    }

    /// <summary>Moves up to <paramref name="destination"/>.Length items, oldest first, out of the buffer.</summary>
    public int TakeBatch(Span<T> destination) => TakeBatch(destination, long.MaxValue);

    /// <summary>
    /// Like <see cref="TakeBatch(Span{T})"/>, stopping once the items taken reach <paramref name="maxBytes"/> (always at
    /// least one): what a drain loop holds outside the buffer stays bounded in bytes too, not only in items.
    /// </summary>
    public int TakeBatch(Span<T> destination, long maxBytes)
    {
        using (Hold())
        {
            RollWindowIfDue(_clock.Now);
            var n = Math.Min(destination.Length, _count);
            if (n == 0) return 0;
            // Under the byte limit (always, for an unsized buffer) every item fits; otherwise count them first.
            if (_bytes >= maxBytes) n = CountWithin(n, maxBytes);
            if (n == 1)
            {
                // A drain loop that keeps up takes one at a time: no spans for that.
                destination[0] = _ring[_head];
                RemoveOldest();
                return 1;
            }
            // Oldest first, as at most two runs of the ring: block copies, not one removal per item.
            var first = Math.Min(n, _ring.Length - _head);
            var firstRun = _ring.AsSpan(_head, first);
            var secondRun = _ring.AsSpan(0, n - first);
            firstRun.CopyTo(destination);
            secondRun.CopyTo(destination[first..]);
            if (_sizeOf is not null) _bytes -= SizesOf(_head, first) + SizesOf(0, n - first);
            firstRun.Clear();
            secondRun.Clear();
            _head += n;
            if (_head >= _ring.Length) _head -= _ring.Length;
            _count -= n;
            return n;
        }
    }

    /// <summary>How many of the oldest <paramref name="n"/> items to take: each while the ones before it hold less than <paramref name="maxBytes"/> (at least one).</summary>
    private int CountWithin(int n, long maxBytes)
    {
        long taken = 0;
        var at = _head;
        for (var i = 0; i < n; i++)
        {
            if (i > 0 && taken >= maxBytes) return i;
            taken += SizeAt(at);
            if (++at == _ring.Length) at = 0;
        }
        return n;
    }

    /// <summary>The size of the item in <paramref name="slot"/> (0 in a buffer without a byte bound); call before clearing the slot.</summary>
    private int SizeAt(int slot) => _sizes is not null ? _sizes[slot] : _sizeOf is null ? 0 : _sizeOf(_ring[slot]);

    /// <summary>The total size of the items in <paramref name="length"/> slots from <paramref name="start"/>; call before clearing them.</summary>
    private long SizesOf(int start, int length)
    {
        long sum = 0;
        if (_sizes is not null)
        {
            foreach (var size in _sizes.AsSpan(start, length)) sum += size;
        }
        else if (_sizeOf is not null)
        {
            foreach (var item in _ring.AsSpan(start, length)) sum += _sizeOf(item);
        }
        return sum;
    }

    /// <summary>Completes when the buffer may have become non-empty (or was closed, or on cancellation).</summary>
    public ValueTask WaitForDataAsync(CancellationToken cancellationToken) => _signal.WaitAsync(cancellationToken);

    /// <summary>Wakes the drain loop without queuing anything (e.g. a control frame is waiting beside the buffer).</summary>
    public void Wake() => _signal.Set();

    /// <summary>
    /// Closes the buffer and discards what was queued; returns how many messages were discarded, including those a
    /// disconnect overflow cleared just before (offered = taken + overflows + queued + discarded). Later calls return 0.
    /// </summary>
    public int Close()
    {
        int discarded;
        using (Hold())
        {
            discarded = _count + _clearedByOverflow;
            _clearedByOverflow = 0;
            ClearLocked();
            _closed = true;
        }
        _signal.Set();
        return discarded;
    }

    /// <summary>Reads the statistics, applying the window rule against the exact time <paramref name="now"/>.</summary>
    public BufferStats GetStats(long now)
    {
        using (Hold())
        {
            RollWindowIfDue(now);
            return new BufferStats(Capacity, Policy, _count, _recentMax, _overflows, _offered, _bytes);
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

    /// <summary>
    /// Takes this buffer's lock until the returned scope is disposed. A spin lock held in the buffer itself, not a
    /// <see cref="Lock"/> object: the lock word then shares the buffer's cache lines, which the drain loop's core takes
    /// over on every batch, so a push after a drain pays for fewer lines; and its release is a plain store, not a second
    /// atomic operation. At 64 peers these two costs were half the publishing thread's time (docs/design.md §12). Every
    /// hold is a few field updates, except a ring's growth, so a waiter spins briefly and then yields its core.
    /// </summary>
    private Held Hold() => new(ref _lock);

    private readonly ref struct Held
    {
        private readonly ref SpinLock _held;

        public Held(ref SpinLock spinLock)
        {
            var taken = false;
            spinLock.Enter(ref taken);
            _held = ref spinLock;
        }

        // No full fence on release: the owner field is volatile, so the store still publishes every write made under the lock.
        public void Dispose() => _held.Exit(useMemoryBarrier: false);
    }

    private void ClearLocked()
    {
        Array.Clear(_ring);
        _head = 0;
        _count = 0;
        _bytes = 0;
    }
}
