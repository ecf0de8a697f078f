using System.IO.MemoryMappedFiles;

namespace Spillway.Bench.Quick;

/// <summary>
/// A few longs in a small file mapped by both the publisher and the subscriber process, so the
/// publisher can read the delivered count every 256 messages for the price of a memory read (a pipe
/// round trip per check would throttle the very thing being measured). Slot 0: delivered messages
/// (or bytes for the raw pump); slot 1: "record latency only for stamps at or after this timestamp".
/// </summary>
internal sealed unsafe class SharedCounters : IDisposable
{
    public const int Delivered = 0;
    public const int RecordFrom = 1;
    private const int Slots = 8;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly bool _owner;

    public string Path { get; }

    private SharedCounters(string path, bool owner)
    {
        Path = path;
        _owner = owner;
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.OpenOrCreate, null, Slots * sizeof(long), MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, Slots * sizeof(long));
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _slots = (long*)(pointer + _view.PointerOffset);
    }

    private readonly long* _slots;

    public static SharedCounters Create()
    {
        var dir = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        var path = System.IO.Path.Combine(dir, $"spillway-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var counters = new SharedCounters(path, owner: true);
        for (var i = 0; i < Slots; i++) counters.Write(i, 0);
        counters.Write(RecordFrom, long.MaxValue);
        return counters;
    }

    public static SharedCounters Open(string path) => new(path, owner: false);

    public long Read(int slot) => Volatile.Read(ref _slots[slot]);

    public void Write(int slot, long value) => Volatile.Write(ref _slots[slot], value);

    /// <summary>Atomic across threads and processes (the slot is one aligned long in shared memory).</summary>
    public void Add(int slot, long value) => Interlocked.Add(ref _slots[slot], value);

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
        if (_owner) File.Delete(Path);
    }
}
