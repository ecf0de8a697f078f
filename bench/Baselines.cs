using System.Diagnostics;

namespace Spillway.Bench;

/// <summary>
/// BASELINE: the same ring logic as <see cref="Spillway.Engine.Buffers.SendBuffer<byte[]>"/> (head + count over an
/// array of frames, one lock per buffer), with no statistics, no policy switch and no wake-up signal.
/// A push into a full ring overwrites the oldest slot (what drop_oldest does, minus the counting), so the
/// overflow benchmarks can compare like with like.
/// </summary>
internal sealed class BareRing(int capacity)
{
    private readonly byte[]?[] _ring = new byte[]?[capacity];
    private readonly Lock _lock = new();
    private int _head;
    private int _count;

    public int Count { get { lock (_lock) return _count; } }

    /// <summary>Appends; returns false when the ring was full and the oldest frame was overwritten.</summary>
    public bool Push(byte[] message)
    {
        lock (_lock)
        {
            if (_count == _ring.Length)
            {
                _ring[_head] = message;
                if (++_head == _ring.Length) _head = 0;
                return false;
            }
            var tail = _head + _count;
            if (tail >= _ring.Length) tail -= _ring.Length;
            _ring[tail] = message;
            _count++;
            return true;
        }
    }

    public int TakeBatch(Span<byte[]> destination)
    {
        lock (_lock)
        {
            var n = Math.Min(destination.Length, _count);
            for (var i = 0; i < n; i++)
            {
                destination[i] = _ring[_head]!;
                _ring[_head] = null;
                if (++_head == _ring.Length) _head = 0;
            }
            _count -= n;
            return n;
        }
    }
}

/// <summary>
/// The Zeek/Broker (7.2+) way of keeping peer-buffer statistics, ported to C# as docs/design.md §5 and §11
/// describe it: the statistics live outside the buffers in one process-wide table guarded by one global
/// lock; every push and every pull takes that lock, looks the peer up in a hash map keyed by endpoint id
/// and reads the clock (a steady clock, <see cref="Stopwatch.GetTimestamp"/>, like std::chrono::steady_clock).
/// The window rule is the same as Spillway's.
/// </summary>
internal sealed class ZeekStyleTracker
{
    private sealed class Entry
    {
        public int Queued;
        public int RecentMax;
        public long Overflows;
        public long WindowStart;
    }

    private readonly Lock _global = new();
    private readonly Dictionary<Guid, Entry> _entries = new();
    private readonly long _windowTicks = Stopwatch.Frequency * 60;

    public void OnPush(Guid peer, bool overflow)
    {
        lock (_global)
        {
            var now = Stopwatch.GetTimestamp();
            var e = Lookup(peer, now);
            Roll(e, now);
            if (overflow) { e.Overflows++; return; }
            e.Queued++;
            if (e.Queued > e.RecentMax) e.RecentMax = e.Queued;
        }
    }

    public void OnPull(Guid peer, int count)
    {
        lock (_global)
        {
            var now = Stopwatch.GetTimestamp();
            var e = Lookup(peer, now);
            Roll(e, now);
            e.Queued = Math.Max(0, e.Queued - count);
        }
    }

    public (int Queued, int RecentMax, long Overflows) Read(Guid peer)
    {
        lock (_global)
        {
            var e = Lookup(peer, Stopwatch.GetTimestamp());
            return (e.Queued, e.RecentMax, e.Overflows);
        }
    }

    // Zeek creates the entry at the first push (docs/design.md §5).
    private Entry Lookup(Guid peer, long now)
    {
        if (!_entries.TryGetValue(peer, out var e))
        {
            e = new Entry { WindowStart = now };
            _entries.Add(peer, e);
        }
        return e;
    }

    private void Roll(Entry e, long now)
    {
        if (now - e.WindowStart > _windowTicks)
        {
            e.WindowStart = now;
            e.RecentMax = e.Queued;
        }
    }
}

/// <summary>(d): a bare ring per peer, plus the shared Zeek-style tracker consulted on every push and pull.</summary>
internal sealed class ZeekStyleQueue(int capacity, ZeekStyleTracker tracker, Guid peer)
{
    private readonly BareRing _ring = new(capacity);

    public void Push(byte[] message) => tracker.OnPush(peer, overflow: !_ring.Push(message));

    public int TakeBatch(Span<byte[]> destination)
    {
        var n = _ring.TakeBatch(destination);
        tracker.OnPull(peer, n);
        return n;
    }
}
