using Microsoft.Extensions.Time.Testing;
using Spillway.Engine.Buffers;

namespace Spillway.Engine.Tests.Buffers;

/// <summary>
/// Random pushes and batch takes against a plain queue model, through ring growth and wrap-around, with and
/// without a byte bound: what comes out, in what order, and the queued count and bytes must match exactly.
/// </summary>
public class SendBufferModelTests
{
    /// <summary>Whether the buffer has a byte bound, and how it learns the size of an item that leaves (<see cref="ItemSizes"/>).</summary>
    public enum Bound { None, SizesKept, SizesReadAgain }

    [Theory]
    [InlineData(OverflowPolicy.DropNewest, 1, Bound.None)]
    [InlineData(OverflowPolicy.DropNewest, 2, Bound.SizesKept)]
    [InlineData(OverflowPolicy.DropNewest, 5, Bound.SizesReadAgain)]
    [InlineData(OverflowPolicy.DropOldest, 3, Bound.None)]
    [InlineData(OverflowPolicy.DropOldest, 4, Bound.SizesKept)]
    [InlineData(OverflowPolicy.DropOldest, 6, Bound.SizesReadAgain)]
    public void Batches_take_what_a_queue_model_holds_oldest_first_within_the_byte_limit(OverflowPolicy policy, int seed, Bound bound)
    {
        var random = new Random(seed);
        const int capacity = 200;
        const long maxBytes = 4000;
        var sized = bound != Bound.None;
        var buffer = sized
            ? new SendBuffer<byte[]>(capacity, policy, new CoarseClock(new FakeTimeProvider()), TimeSpan.FromMinutes(1), maxBytes, static m => m.Length,
                bound == Bound.SizesKept ? ItemSizes.Kept : ItemSizes.ReadAgain)
            : new SendBuffer<byte[]>(capacity, policy, new CoarseClock(new FakeTimeProvider()), TimeSpan.FromMinutes(1));
        var model = new LinkedList<byte[]>();
        long modelBytes = 0, offered = 0, taken = 0, overflows = 0;
        var next = 0;
        for (var step = 0; step < 20_000; step++)
        {
            if (random.Next(3) > 0)
            {
                var burst = random.Next(1, 40);
                for (var k = 0; k < burst; k++)
                {
                    var message = new byte[random.Next(1, 120)];
                    BitConverter.TryWriteBytes(message.AsSpan(0, Math.Min(4, message.Length)), next++);
                    offered++;
                    var size = sized ? message.Length : 0;
                    var outcome = buffer.Push(message);
                    if (model.Count < capacity && modelBytes + size <= maxBytes)
                    {
                        Assert.Equal(PushOutcome.Queued, outcome);
                        model.AddLast(message);
                        modelBytes += size;
                    }
                    else if (policy == OverflowPolicy.DropNewest)
                    {
                        Assert.Equal(PushOutcome.DroppedNewest, outcome);
                        overflows++;
                    }
                    else
                    {
                        Assert.Equal(PushOutcome.DroppedOldest, outcome);
                        while (model.Count == capacity || modelBytes + size > maxBytes)
                        {
                            modelBytes -= sized ? model.First!.Value.Length : 0;
                            model.RemoveFirst();
                            overflows++;
                        }
                        model.AddLast(message);
                        modelBytes += size;
                    }
                }
            }
            else
            {
                var batch = new byte[random.Next(1, 300)][];
                var limit = random.Next(3) == 0 ? long.MaxValue : random.Next(1, 3000);
                var n = buffer.TakeBatch(batch, limit);
                // The model: take each while the ones before it hold less than the limit, at least one.
                long before = 0;
                var expected = 0;
                foreach (var m in model)
                {
                    if (expected == batch.Length || (expected > 0 && before >= limit)) break;
                    before += sized ? m.Length : 0;
                    expected++;
                }
                Assert.Equal(expected, n);
                for (var i = 0; i < n; i++)
                {
                    Assert.Same(model.First!.Value, batch[i]);
                    modelBytes -= sized ? model.First.Value.Length : 0;
                    model.RemoveFirst();
                }
                taken += n;
            }
            var stats = buffer.GetStats();
            Assert.Equal((model.Count, modelBytes, overflows, offered), (stats.Queued, stats.QueuedBytes, stats.Overflows, stats.Offered));
            Assert.Equal(offered, taken + overflows + stats.Queued);
        }
    }
}
