using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using Spillway.Engine.Buffers;

namespace Spillway.Engine.Tests.Buffers;

public class SendBufferTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Message <paramref name="n"/>: its number in the first 4 bytes, padded to <paramref name="size"/> bytes.</summary>
    private static byte[] Message(int n, int size = 4)
    {
        var bytes = new byte[size];
        BinaryPrimitives.WriteInt32BigEndian(bytes, n);
        return bytes;
    }

    private static List<int> DrainAll(SendBuffer<byte[]> buffer)
    {
        var batch = new byte[3][]; // smaller than capacity: drains in several batches
        var delivered = new List<int>();
        int n;
        while ((n = buffer.TakeBatch(batch)) > 0)
            for (var i = 0; i < n; i++) delivered.Add(BinaryPrimitives.ReadInt32BigEndian(batch[i]));
        return delivered;
    }

    private static (SendBuffer<byte[]> Buffer, FakeTimeProvider Time, CoarseClock Clock) Create(int capacity, OverflowPolicy policy)
    {
        var time = new FakeTimeProvider();
        var clock = new CoarseClock(time);
        return (new SendBuffer<byte[]>(capacity, policy, clock, Minute), time, clock);
    }

    [Fact]
    public void DropOldest_keeps_the_newest_and_counts_each_loss()
    {
        var (buffer, _, _) = Create(4, OverflowPolicy.DropOldest);
        var outcomes = Enumerable.Range(1, 10).Select(i => buffer.Push(Message(i))).ToList();

        Assert.Equal(4, outcomes.Count(o => o == PushOutcome.Queued));
        Assert.Equal(6, outcomes.Count(o => o == PushOutcome.DroppedOldest));
        var stats = buffer.GetStats();
        Assert.Equal(new BufferStats(4, OverflowPolicy.DropOldest, 4, 4, 6, 10), stats);
        Assert.Equal([7, 8, 9, 10], DrainAll(buffer));
        Assert.Equal(0, buffer.GetStats().Queued);
        Assert.Equal(6, buffer.GetStats().Overflows);
    }

    [Fact]
    public void DropNewest_keeps_the_oldest_and_counts_each_loss()
    {
        var (buffer, _, _) = Create(4, OverflowPolicy.DropNewest);
        var outcomes = Enumerable.Range(1, 10).Select(i => buffer.Push(Message(i))).ToList();

        Assert.Equal(6, outcomes.Count(o => o == PushOutcome.DroppedNewest));
        Assert.Equal(new BufferStats(4, OverflowPolicy.DropNewest, 4, 4, 6, 10), buffer.GetStats());
        Assert.Equal([1, 2, 3, 4], DrainAll(buffer));
    }

    [Fact]
    public void Disconnect_closes_on_the_first_overflow_discards_the_queue_and_counts_once()
    {
        var (buffer, _, _) = Create(4, OverflowPolicy.Disconnect);
        var outcomes = Enumerable.Range(1, 10).Select(i => buffer.Push(Message(i))).ToList();

        Assert.Equal([.. Enumerable.Repeat(PushOutcome.Queued, 4), PushOutcome.OverflowDisconnect,
            .. Enumerable.Repeat(PushOutcome.Closed, 5)], outcomes);
        Assert.True(buffer.IsClosed);
        var stats = buffer.GetStats();
        Assert.Equal(1, stats.Overflows);
        Assert.Equal(0, stats.Queued);
        Assert.Empty(DrainAll(buffer));
    }

    [Fact]
    public void Close_reports_what_a_disconnect_overflow_cleared_as_discarded_once()
    {
        // offered = taken + overflows + queued + discarded: the queue the overflow cleared is not lost from the books.
        var (buffer, _, _) = Create(4, OverflowPolicy.Disconnect);
        for (var i = 1; i <= 4; i++) buffer.Push(Message(i));
        var batch = new byte[1][];
        Assert.Equal(1, buffer.TakeBatch(batch));
        buffer.Push(Message(5));
        Assert.Equal(PushOutcome.OverflowDisconnect, buffer.Push(Message(6)));
        var stats = buffer.GetStats();
        Assert.Equal((6, 1, 0), (stats.Offered, stats.Overflows, stats.Queued));
        Assert.Equal(4, buffer.Close());
        Assert.Equal(0, buffer.Close());
    }

    [Fact]
    public void Close_returns_the_queued_count()
    {
        var (buffer, _, _) = Create(8, OverflowPolicy.DropNewest);
        for (var i = 1; i <= 5; i++) buffer.Push(Message(i));
        Assert.Equal(2, buffer.TakeBatch(new byte[2][]));
        Assert.Equal(3, buffer.Close());
        Assert.Equal(PushOutcome.Closed, buffer.Push(Message(6)));
        Assert.Equal(0, buffer.Close());
    }

    [Fact]
    public void Drop_oldest_wraps_correctly_while_draining_interleaves()
    {
        var (buffer, _, _) = Create(4, OverflowPolicy.DropOldest);
        for (var i = 1; i <= 3; i++) buffer.Push(Message(i));
        var batch = new byte[2][];
        Assert.Equal(2, buffer.TakeBatch(batch)); // takes 1, 2
        for (var i = 4; i <= 9; i++) buffer.Push(Message(i)); // 3..6 fill, 7..9 push out 3,4,5
        Assert.Equal([6, 7, 8, 9], DrainAll(buffer));
        Assert.Equal(3, buffer.GetStats().Overflows);
    }

    [Fact]
    public void Recent_max_resets_to_the_current_level_after_the_interval_on_activity()
    {
        var (buffer, time, _) = Create(100, OverflowPolicy.DropOldest);
        for (var i = 0; i < 10; i++) buffer.Push(Message(i));
        buffer.TakeBatch(new byte[7][]);                       // queued 3, max 10
        Assert.Equal(10, buffer.GetStats().RecentMax);

        time.Advance(Minute);                                   // exactly one interval: not yet (strict)
        Assert.Equal(10, buffer.GetStats().RecentMax);

        time.Advance(TimeSpan.FromSeconds(1));                  // past the interval
        buffer.Push(Message(99));                               // activity rolls the window (max = 3), then 4
        buffer.TakeBatch(new byte[10][]);                      // queued 0; the window began at the push
        var stats = buffer.GetStats();                          // so this request must not roll it again
        Assert.Equal(0, stats.Queued);
        Assert.Equal(4, stats.RecentMax);
    }

    [Fact]
    public void Recent_max_resets_on_a_stats_request_alone_and_never_to_zero_when_queued()
    {
        var (buffer, time, _) = Create(100, OverflowPolicy.DropOldest);
        for (var i = 0; i < 8; i++) buffer.Push(Message(i));
        buffer.TakeBatch(new byte[3][]);                       // queued 5, max 8
        time.Advance(Minute + TimeSpan.FromMilliseconds(1));
        var stats = buffer.GetStats();                          // no push or pull since: the request rolls it
        Assert.Equal(5, stats.RecentMax);
        Assert.Equal(5, stats.Queued);

        buffer.TakeBatch(new byte[5][]);
        time.Advance(Minute + TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, buffer.GetStats().RecentMax);   // empty now: the current level is 0
    }

    [Fact]
    public void An_overflow_leaves_queued_unchanged_and_queued_never_goes_negative()
    {
        var (buffer, _, _) = Create(2, OverflowPolicy.DropNewest);
        buffer.Push(Message(1));
        buffer.Push(Message(2));
        buffer.Push(Message(3));
        Assert.Equal(2, buffer.GetStats().Queued);
        DrainAll(buffer);
        Assert.Equal(0, buffer.TakeBatch(new byte[4][]));
        Assert.Equal(0, buffer.GetStats().Queued);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Capacity_below_one_is_rejected(int capacity)
    {
        using var clock = new CoarseClock(new FakeTimeProvider());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SendBuffer<byte[]>(capacity, OverflowPolicy.DropOldest, clock, Minute));
        Assert.Equal("capacity", e.ParamName);
    }

    [Fact]
    public void Policy_names_parse_and_unknown_ones_name_the_setting()
    {
        Assert.Equal(OverflowPolicy.Disconnect, OverflowPolicyNames.Parse("disconnect", "peer_overflow_policy"));
        Assert.Equal(OverflowPolicy.DropOldest, OverflowPolicyNames.Parse("drop_oldest", "peer_overflow_policy"));
        Assert.Equal(OverflowPolicy.DropNewest, OverflowPolicyNames.Parse("drop_newest", "peer_overflow_policy"));
        var e = Assert.Throws<ArgumentException>(() => OverflowPolicyNames.Parse("drop_all", "peer_overflow_policy"));
        Assert.Contains("peer_overflow_policy", e.Message);
        Assert.Contains("drop_all", e.Message);
    }

    [Fact]
    public async Task The_drain_signal_wakes_once_per_empty_to_nonempty_transition_and_never_loses_one()
    {
        var (buffer, _, _) = Create(1000, OverflowPolicy.DropNewest);
        var taken = 0;
        var batch = new byte[16][];
        var consumer = Task.Run(async () =>
        {
            while (taken < 20_000)
            {
                await buffer.WaitForDataAsync(CancellationToken.None);
                int n;
                while ((n = buffer.TakeBatch(batch)) > 0) taken += n;
            }
        });
        var pushed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            while (buffer.Push(Message(i)) == PushOutcome.DroppedNewest) { } // retry until room: nothing lost
            pushed++;
            if (i % 1000 == 0) await Task.Yield();
        }
        await consumer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(pushed, taken);
    }
    /// <summary>
    /// Four threads push at once while a consumer takes: the buffer's lock must serialise every push against every
    /// other and against each take, or counts drift and items vanish, repeat or reorder. Each message carries its
    /// producer (high byte) and sequence number. With a byte bound, as a peering's buffer has, messages vary in size,
    /// the bound binds as often as the count does, and the sizes are read again from the items as they leave.
    /// </summary>
    [Theory]
    [InlineData(OverflowPolicy.DropOldest, false)]
    [InlineData(OverflowPolicy.DropNewest, false)]
    [InlineData(OverflowPolicy.DropOldest, true)]
    [InlineData(OverflowPolicy.DropNewest, true)]
    public async Task Concurrent_producers_and_a_consumer_keep_every_count_exact_and_each_producer_in_order(OverflowPolicy policy, bool byteBound)
    {
        const int Producers = 4, PerProducer = 250_000;
        var buffer = byteBound
            ? new SendBuffer<byte[]>(64, policy, new CoarseClock(new FakeTimeProvider()), Minute, maxBytes: 64 * 10, static m => m.Length, ItemSizes.ReadAgain)
            : Create(64, policy).Buffer;
        var taken = new List<int>();
        var done = 0;
        var consumer = Task.Run(() =>
        {
            var batch = new byte[7][];
            while (true)
            {
                var finished = Volatile.Read(ref done) == Producers;
                int n;
                while ((n = buffer.TakeBatch(batch)) > 0)
                    for (var i = 0; i < n; i++) taken.Add(BinaryPrimitives.ReadInt32BigEndian(batch[i]));
                if (finished) return;
                Thread.SpinWait(20);
            }
        });
        var overflowsSeen = new int[Producers];
        using var start = new Barrier(Producers);
        var producers = Enumerable.Range(0, Producers).Select(p => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait(); // all at once, not one after another as the pool happens to start them
            for (var i = 0; i < PerProducer; i++)
            {
                var message = Message(p << 24 | i, byteBound ? 4 + i % 13 : 4);
                if (buffer.Push(message) != PushOutcome.Queued) overflowsSeen[p]++;
            }
            Interlocked.Increment(ref done);
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromSeconds(60));
        await consumer.WaitAsync(TimeSpan.FromSeconds(60));

        var stats = buffer.GetStats();
        Assert.Equal(Producers * PerProducer, stats.Offered);
        Assert.Equal((0, 0L), (stats.Queued, stats.QueuedBytes));
        // One overflow per push refused or evicting, except that a drop_oldest push over the byte bound may evict several.
        if (byteBound && policy == OverflowPolicy.DropOldest) Assert.InRange(stats.Overflows, overflowsSeen.Sum(), long.MaxValue);
        else Assert.Equal(overflowsSeen.Sum(), stats.Overflows);
        // Conservation: every push was taken once or counted as an overflow, none twice, none lost.
        Assert.Equal(stats.Offered, taken.Count + stats.Overflows);
        Assert.Equal(taken.Count, taken.Distinct().Count());
        for (var p = 0; p < Producers; p++)
        {
            var mine = taken.Where(m => m >> 24 == p).Select(m => m & 0xFFFFFF).ToList();
            Assert.True(mine.SequenceEqual(mine.Order()), $"producer {p}'s messages were taken out of order");
            // drop_newest refuses the pushes that overflowed, so the last of each producer always arrives; drop_oldest may evict it.
            if (policy == OverflowPolicy.DropNewest) Assert.Equal(PerProducer - overflowsSeen[p], mine.Count);
        }
        Assert.InRange(stats.RecentMax, 1, 64);
    }
}
