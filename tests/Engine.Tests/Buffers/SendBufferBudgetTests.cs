using Microsoft.Extensions.Time.Testing;
using Spillway.Engine.Buffers;

namespace Spillway.Engine.Tests.Buffers;

/// <summary>
/// The byte bound beside the message bound, and rings that grow on demand; every test runs twice, with the sizes kept
/// beside the items (a client's buffer) and read again from them (a peering's).
/// </summary>
public abstract class SendBufferBudgetTests
{
    public sealed class WithSizesKept : SendBufferBudgetTests
    {
        private protected override ItemSizes Sizes => ItemSizes.Kept;
    }

    public sealed class WithSizesReadAgain : SendBufferBudgetTests
    {
        private protected override ItemSizes Sizes => ItemSizes.ReadAgain;
    }

    private protected abstract ItemSizes Sizes { get; }

    private SendBuffer<byte[]> Create(int capacity, long maxBytes, OverflowPolicy policy) =>
        new(capacity, policy, new CoarseClock(new FakeTimeProvider()), TimeSpan.FromMinutes(1), maxBytes, static m => m.Length, Sizes);

    private static byte[] Sized(int size, byte tag) { var m = new byte[size]; m[0] = tag; return m; }

    private static List<byte> Drain(SendBuffer<byte[]> buffer)
    {
        var batch = new byte[5][];
        var tags = new List<byte>();
        int n;
        while ((n = buffer.TakeBatch(batch)) > 0)
            for (var i = 0; i < n; i++) tags.Add(batch[i][0]);
        return tags;
    }

    private static void AssertConserved(BufferStats s, long taken) => Assert.Equal(s.Offered, taken + s.Overflows + s.Queued);

    [Fact]
    public void DropOldest_over_the_byte_bound_drops_as_many_oldest_as_it_takes_and_counts_each()
    {
        var buffer = Create(capacity: 100, maxBytes: 1000, OverflowPolicy.DropOldest);
        for (byte i = 1; i <= 4; i++) Assert.Equal(PushOutcome.Queued, buffer.Push(Sized(250, i))); // exactly 1000 bytes
        Assert.Equal(PushOutcome.DroppedOldest, buffer.Push(Sized(600, 5))); // needs three of the oldest gone
        var stats = buffer.GetStats();
        Assert.Equal((2, 850L, 3L, 5L), (stats.Queued, stats.QueuedBytes, stats.Overflows, stats.Offered));
        Assert.Equal([4, 5], Drain(buffer));
        AssertConserved(buffer.GetStats(), taken: 2);
        Assert.Equal(0L, buffer.GetStats().QueuedBytes);
    }

    [Fact]
    public void DropNewest_over_the_byte_bound_drops_the_new_one()
    {
        var buffer = Create(capacity: 100, maxBytes: 1000, OverflowPolicy.DropNewest);
        for (byte i = 1; i <= 3; i++) buffer.Push(Sized(300, i));
        Assert.Equal(PushOutcome.DroppedNewest, buffer.Push(Sized(101, 4)));
        Assert.Equal(PushOutcome.Queued, buffer.Push(Sized(100, 5)));
        var stats = buffer.GetStats();
        Assert.Equal((4, 1000L, 1L, 5L), (stats.Queued, stats.QueuedBytes, stats.Overflows, stats.Offered));
        Assert.Equal([1, 2, 3, 5], Drain(buffer));
    }

    [Fact]
    public void Disconnect_over_the_byte_bound_closes_the_buffer()
    {
        var buffer = Create(capacity: 100, maxBytes: 1000, OverflowPolicy.Disconnect);
        buffer.Push(Sized(900, 1));
        Assert.Equal(PushOutcome.OverflowDisconnect, buffer.Push(Sized(101, 2)));
        Assert.True(buffer.IsClosed);
        Assert.Equal((0, 0L, 1L), (buffer.GetStats().Queued, buffer.GetStats().QueuedBytes, buffer.GetStats().Overflows));
    }

    [Fact]
    public void A_message_larger_than_the_whole_byte_bound_is_dropped_itself_under_drop_oldest()
    {
        var buffer = Create(capacity: 100, maxBytes: 1000, OverflowPolicy.DropOldest);
        buffer.Push(Sized(10, 1));
        Assert.Equal(PushOutcome.DroppedNewest, buffer.Push(Sized(1001, 2)));
        Assert.Equal([1], Drain(buffer));
        Assert.Equal(1L, buffer.GetStats().Overflows);
    }

    [Fact]
    public void The_message_bound_still_holds_with_a_byte_bound()
    {
        var buffer = Create(capacity: 3, maxBytes: 1_000_000, OverflowPolicy.DropOldest);
        for (byte i = 1; i <= 5; i++) buffer.Push(Sized(1, i));
        Assert.Equal([3, 4, 5], Drain(buffer));
        Assert.Equal(2L, buffer.GetStats().Overflows);
    }

    [Fact]
    public void A_huge_capacity_costs_nothing_until_used_and_the_ring_grows_keeping_order()
    {
        var buffer = Create(capacity: 1 << 28, maxBytes: long.MaxValue, OverflowPolicy.DropOldest);
        Assert.Equal(SendBuffer<byte[]>.InitialRingSize, buffer.AllocatedSlots);
        // Wrap the ring before it grows so the growth has to unroll it.
        for (byte i = 0; i < 40; i++) buffer.Push(Sized(1, i));
        Assert.Equal(40, Drain(buffer).Count);
        for (var i = 0; i < 1000; i++) buffer.Push(Sized(1, (byte)(i % 251)));
        Assert.Equal(1024, buffer.AllocatedSlots);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (byte)(i % 251)), Drain(buffer));
        Assert.Equal(0L, buffer.GetStats().Overflows);
    }

    [Fact]
    public void Growth_stops_at_the_capacity()
    {
        var buffer = Create(capacity: 100, maxBytes: long.MaxValue, OverflowPolicy.DropOldest);
        for (byte i = 0; i < 250; i++) buffer.Push(Sized(1, i));
        Assert.Equal(100, buffer.AllocatedSlots);
        Assert.Equal(Enumerable.Range(150, 100).Select(i => (byte)i), Drain(buffer));
    }
}
