using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Engine.Wire;

namespace Spillway.Bench;

/// <summary>
/// Per-message cost of a send buffer, four implementations side by side in one run (docs/design.md §11).
/// Every benchmark moves <see cref="Messages"/> messages per invocation and reports per message
/// (OperationsPerInvoke). The message is one frame encoded once in GlobalSetup; the same reference is
/// pushed every time, so nothing in the measured loop allocates unless the buffer itself does.
///
/// Categories (each has its own baseline, the bare ring, so Ratio compares within a category):
///   PushTake1   push one message, then take one: the buffer goes 0 -> 1 -> 0 every message.
///   Batch256    push 256 messages, then take all 256 in one batch (256 = the engine's DrainBatchSize);
///               the Channel has no batch read, so it does 256 TryRead calls. B2 and B3 add a byte bound as
///               a peering's buffer has (64 MiB, never reached): B2 reads sizes again from the frames as they
///               leave, which is what peerings do; B3 keeps each size beside its frame, what clients do.
///   Overflow    push into a buffer that is already full (capacity 8192) under drop_oldest: every push
///               evicts the oldest message. Steady state of overflow; nothing is taken.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BufferBenchmarks
{
    public const int Messages = 1024;
    public const int Batch = 256;
    public const int Capacity = 8192;
    private const int ZeekPeers = 16;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // ShortRun-like (the machine is small and shared): 1 launch, 5 warmups, 10 measured iterations.
            AddJob(Job.Default.WithId("Short").WithToolchain(BenchProjectGenerator.Toolchain).WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(10));
        }
    }

    private readonly byte[][] _one = new byte[1][];
    private readonly byte[][] _batch = new byte[Batch][];
    private byte[] _message = [];
    private CoarseClock _clock = null!;

    private BareRing _ring = null!;
    private SendBuffer<byte[]> _buffer = null!;
    private SendBuffer<byte[]> _bytesReadAgain = null!;
    private SendBuffer<byte[]> _bytesKept = null!;
    private ChannelWriter<byte[]> _writer = null!;
    private ChannelReader<byte[]> _reader = null!;
    private ZeekStyleQueue _zeek = null!;

    private BareRing _fullRing = null!;
    private SendBuffer<byte[]> _fullBuffer = null!;
    private ChannelWriter<byte[]> _fullWriter = null!;
    private ZeekStyleQueue _fullZeek = null!;

    [GlobalSetup]
    public void Setup()
    {
        // A real data frame: 64-character string payload (80 bytes on the wire).
        _message = FrameCodec.EncodeData("bench/topic", Value.Of(new string('x', 64)));
        _clock = new CoarseClock(TimeProvider.System);
        var tracker = new ZeekStyleTracker();
        var peers = Enumerable.Range(0, ZeekPeers).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var p in peers) tracker.OnPush(p, overflow: false); // a realistic table, not a 1-entry map

        _ring = new BareRing(Capacity);
        _buffer = new SendBuffer<byte[]>(Capacity, OverflowPolicy.DropOldest, _clock, TimeSpan.FromMinutes(1));
        _bytesReadAgain = new SendBuffer<byte[]>(Capacity, OverflowPolicy.DropOldest, _clock, TimeSpan.FromMinutes(1), 64 << 20, static f => f.Length, ItemSizes.ReadAgain);
        _bytesKept = new SendBuffer<byte[]>(Capacity, OverflowPolicy.DropOldest, _clock, TimeSpan.FromMinutes(1), 64 << 20, static f => f.Length, ItemSizes.Kept);
        (_writer, _reader) = NewChannel();
        _zeek = new ZeekStyleQueue(Capacity, tracker, peers[3]);

        _fullRing = new BareRing(Capacity);
        _fullBuffer = new SendBuffer<byte[]>(Capacity, OverflowPolicy.DropOldest, _clock, TimeSpan.FromMinutes(1));
        ChannelReader<byte[]> unused;
        (_fullWriter, unused) = NewChannel();
        _fullZeek = new ZeekStyleQueue(Capacity, tracker, peers[7]);
        for (var i = 0; i < Capacity; i++)
        {
            _fullRing.Push(_message);
            _fullBuffer.Push(_message);
            _fullWriter.TryWrite(_message);
            _fullZeek.Push(_message);
        }
        if (unused.Count != Capacity || _fullRing.Count != Capacity || _fullBuffer.GetStats().Queued != Capacity)
            throw new InvalidOperationException("overflow fixtures are not full");
    }

    private static (ChannelWriter<byte[]>, ChannelReader<byte[]>) NewChannel()
    {
        var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        return (channel.Writer, channel.Reader);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // The overflow benchmarks must really have overflowed (and kept queued unchanged).
        var stats = _fullBuffer.GetStats();
        if (stats.Queued != Capacity) throw new InvalidOperationException($"full buffer drained to {stats.Queued}");
        _clock.Dispose();
    }

    // ---- push one, take one ----------------------------------------------------------------------

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages), BenchmarkCategory("PushTake1")]
    public int A_BareRing_PushTake1()
    {
        var taken = 0;
        for (var i = 0; i < Messages; i++)
        {
            _ring.Push(_message);
            taken += _ring.TakeBatch(_one);
        }
        return taken;
    }

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("PushTake1")]
    public int B_SendBuffer_PushTake1()
    {
        var taken = 0;
        for (var i = 0; i < Messages; i++)
        {
            _buffer.Push(_message);
            taken += _buffer.TakeBatch(_one);
        }
        return taken;
    }

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("PushTake1")]
    public int C_Channel_PushTake1()
    {
        var taken = 0;
        for (var i = 0; i < Messages; i++)
        {
            _writer.TryWrite(_message);
            if (_reader.TryRead(out _)) taken++;
        }
        return taken;
    }

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("PushTake1")]
    public int D_ZeekStyle_PushTake1()
    {
        var taken = 0;
        for (var i = 0; i < Messages; i++)
        {
            _zeek.Push(_message);
            taken += _zeek.TakeBatch(_one);
        }
        return taken;
    }

    // ---- push 256, take 256 in one batch -----------------------------------------------------------

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages), BenchmarkCategory("Batch256")]
    public int A_BareRing_Batch256()
    {
        var taken = 0;
        for (var round = 0; round < Messages / Batch; round++)
        {
            for (var i = 0; i < Batch; i++) _ring.Push(_message);
            taken += _ring.TakeBatch(_batch);
        }
        return taken;
    }

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("Batch256")]
    public int B_SendBuffer_Batch256() => PushAndTakeBatches(_buffer);

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("Batch256")]
    public int B2_SendBuffer_BytesReadAgain_Batch256() => PushAndTakeBatches(_bytesReadAgain);

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("Batch256")]
    public int B3_SendBuffer_BytesKept_Batch256() => PushAndTakeBatches(_bytesKept);

    private int PushAndTakeBatches(SendBuffer<byte[]> buffer)
    {
        var taken = 0;
        for (var round = 0; round < Messages / Batch; round++)
        {
            for (var i = 0; i < Batch; i++) buffer.Push(_message);
            taken += buffer.TakeBatch(_batch, EndpointOptions.DrainBatchBytes);
        }
        return taken;
    }

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("Batch256")]
    public int C_Channel_Batch256()
    {
        var taken = 0;
        for (var round = 0; round < Messages / Batch; round++)
        {
            for (var i = 0; i < Batch; i++) _writer.TryWrite(_message);
            while (_reader.TryRead(out _)) taken++;
        }
        return taken;
    }

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("Batch256")]
    public int D_ZeekStyle_Batch256()
    {
        var taken = 0;
        for (var round = 0; round < Messages / Batch; round++)
        {
            for (var i = 0; i < Batch; i++) _zeek.Push(_message);
            taken += _zeek.TakeBatch(_batch);
        }
        return taken;
    }

    // ---- overflow: push into a full buffer under drop_oldest ------------------------------------------

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages), BenchmarkCategory("Overflow")]
    public int A_BareRing_Overflow()
    {
        var overwritten = 0;
        for (var i = 0; i < Messages; i++)
            if (!_fullRing.Push(_message)) overwritten++;
        return overwritten;
    }

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("Overflow")]
    public int B_SendBuffer_Overflow()
    {
        var dropped = 0;
        for (var i = 0; i < Messages; i++)
            if (_fullBuffer.Push(_message) == PushOutcome.DroppedOldest) dropped++;
        return dropped;
    }

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("Overflow")]
    public int C_Channel_Overflow()
    {
        var written = 0;
        for (var i = 0; i < Messages; i++)
            if (_fullWriter.TryWrite(_message)) written++;
        return written;
    }

    [Benchmark(OperationsPerInvoke = Messages), BenchmarkCategory("Overflow")]
    public void D_ZeekStyle_Overflow()
    {
        for (var i = 0; i < Messages; i++) _fullZeek.Push(_message);
    }
}
