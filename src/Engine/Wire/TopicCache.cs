namespace Spillway.Engine.Wire;

/// <summary>
/// The topics one peering received lately, as UTF-8 bytes beside their decoded strings. Nearly every data frame
/// repeats a recent topic, so the read loop compares a few bytes instead of validating, decoding and allocating the
/// topic string again for every message. Not thread-safe: it belongs to one read loop.
/// </summary>
/// <remarks>
/// A handful of slots, picked by a hash of the topic's length and last four bytes (where topics under one prefix
/// differ): a few topics interleaved (a Zeek node's logs, events and metrics) mostly keep a slot each; a new topic
/// replaces the one in its slot. The memory is bounded by <see cref="Slots"/> topics of at most
/// <see cref="MaxTopicBytes"/> bytes whatever the remote sends; a longer topic is decoded every time. A hit returns
/// the very string decoded before, which is immutable, so sharing it is safe.
/// </remarks>
internal sealed class TopicCache
{
    internal const int Slots = 16;
    internal const int MaxTopicBytes = 256;

    // Each slot: the topic's UTF-8 bytes and the string decoded from them (both null while the slot is empty).
    private readonly (byte[]? Utf8, string? Topic)[] _slots = new (byte[]?, string?)[Slots];

    /// <summary>The string decoded before from exactly these bytes, if they are still remembered.</summary>
    public bool TryGet(ReadOnlySpan<byte> utf8, out string topic)
    {
        var (known, decoded) = _slots[SlotOf(utf8)];
        var hit = known is not null && utf8.SequenceEqual(known);
        topic = hit ? decoded! : null!;
        return hit;
    }

    /// <summary>Remembers <paramref name="topic"/>, decoded and validated from <paramref name="utf8"/>.</summary>
    public void Add(ReadOnlySpan<byte> utf8, string topic)
    {
        if (utf8.IsEmpty || utf8.Length > MaxTopicBytes) return;
        _slots[SlotOf(utf8)] = (utf8.ToArray(), topic);
    }

    internal static int SlotOf(ReadOnlySpan<byte> utf8)
    {
        uint tail = 0;
        var last = utf8[Math.Max(0, utf8.Length - 4)..];
        for (var i = 0; i < last.Length; i++) tail |= (uint)last[i] << (8 * i);
        // Fibonacci hashing: the multiply spreads the tail's bits into the top four, which pick the slot.
        return (int)(((tail ^ (uint)utf8.Length) * 0x9E3779B1u) >> 28);
    }
}
