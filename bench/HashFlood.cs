using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Spillway.Engine.Data;
using Spillway.Engine.Wire;
using Spillway.WebSockets.Json;

namespace Spillway.Bench;

/// <summary>
/// `hashflood [--count N] [--old-count N]`: the hash-flooding input of issue 11, a JSON set of N
/// integers chosen so that every one has the same .NET hash code ((k &lt;&lt; 32) | k folds to 0 under
/// long.GetHashCode, which the old record-synthesized hash used). Reports process CPU time to decode it
/// through the WebSocket JSON decoder and through the binary wire decoder, and the CPU time of the
/// old duplicate check (a HashSet keyed by the old hash) over the same items for comparison.
/// </summary>
internal static class HashFlood
{
    public static int Run(string[] args)
    {
        int count = Option(args, "--count", 160_000);
        int oldCount = Option(args, "--old-count", 20_000);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");

        long[] numbers = Enumerable.Range(1, count).Select(k => (long)k << 32 | (uint)k).ToArray();
        Console.WriteLine($"{count} integers, distinct .NET hash codes: {numbers.Select(n => n.GetHashCode()).Distinct().Count()}");
        byte[] json = SetMessage(numbers);
        Console.WriteLine($"JSON message: {json.Length / 1024} KiB");

        // Warm up the JIT on a small input so the figures are the decode, not compilation.
        BrokerJson.ParseDataMessage(SetMessage(numbers[..100]));

        var (set, jsonCpu, jsonWall) = Measure(() => (SetValue)BrokerJson.ParseDataMessage(json).Value);
        Console.WriteLine($"new JSON decode of {set.Items.Length} elements: {jsonCpu.TotalMilliseconds:F0} ms CPU, {jsonWall.TotalMilliseconds:F0} ms wall");
        Console.WriteLine($"distinct value hash codes now: {set.Items.Select(v => v.GetHashCode()).Distinct().Count()}");
        var shuffledNumbers = numbers.ToArray();
        new Random(7).Shuffle(shuffledNumbers);
        byte[] shuffledJson = SetMessage(shuffledNumbers);
        var (_, shuffledJsonCpu, shuffledJsonWall) = Measure(() => BrokerJson.ParseDataMessage(shuffledJson).Value);
        Console.WriteLine($"new JSON decode, elements shuffled: {shuffledJsonCpu.TotalMilliseconds:F0} ms CPU, {shuffledJsonWall.TotalMilliseconds:F0} ms wall");
        byte[] duplicateJson = SetMessage(shuffledNumbers.Append(shuffledNumbers[0]));
        var (rejected, duplicateCpu, _) = Measure(() =>
        {
            try { BrokerJson.ParseDataMessage(duplicateJson); return "accepted"; }
            catch (BrokerJsonException e) { return e.Message; }
        });
        Console.WriteLine($"new JSON decode, shuffled with one duplicate: {duplicateCpu.TotalMilliseconds:F0} ms CPU, rejected: {rejected}");

        var wire = new byte[ValueCodec.GetEncodedSize(set)];
        var writer = new WireWriter(wire);
        ValueCodec.Write(ref writer, set);
        var shuffled = Shuffled(set.Items);
        var shuffledWire = new byte[wire.Length];
        var shuffledWriter = new WireWriter(shuffledWire);
        shuffledWriter.WriteByte((byte)ValueKind.Set);
        shuffledWriter.WriteVarUInt32((uint)shuffled.Length);
        foreach (var item in shuffled) ValueCodec.Write(ref shuffledWriter, item);
        var (_, wireCpu, _) = Measure(() => ReadWire(wire));
        var (_, shuffledCpu, _) = Measure(() => ReadWire(shuffledWire));
        Console.WriteLine($"new wire decode: {wireCpu.TotalMilliseconds:F0} ms CPU in canonical order, {shuffledCpu.TotalMilliseconds:F0} ms CPU shuffled");
        var (hashed, hashCpu, _) = Measure(() => new HashSet<Value>(set.Items).Count);
        Console.WriteLine($"HashSet<Value> of the {hashed} values with the new hash codes: {hashCpu.TotalMilliseconds:F0} ms CPU");

        foreach (int n in new[] { oldCount / 2, oldCount })
        {
            var items = set.Items.Take(n).ToArray();
            var (_, oldCpu, _) = Measure(() => new HashSet<Value>(items, OldRecordHash.Instance).Count);
            double projected = oldCpu.TotalSeconds * ((double)count / n) * ((double)count / n);
            Console.WriteLine($"old duplicate check (old hash) of {n} elements: {oldCpu.TotalMilliseconds:F0} ms CPU; quadratic projection to {count}: {projected:F0} s");
        }
        return 0;
    }

    private static Value ReadWire(byte[] bytes)
    {
        var reader = new WireReader(bytes);
        return ValueCodec.Read(ref reader);
    }

    private static byte[] SetMessage(IEnumerable<long> numbers)
    {
        var text = new StringBuilder("{\"type\":\"data-message\",\"topic\":\"/flood\",\"@data-type\":\"set\",\"data\":[");
        bool first = true;
        foreach (long n in numbers)
        {
            if (!first) text.Append(',');
            first = false;
            text.Append("{\"@data-type\":\"integer\",\"data\":").Append(n).Append('}');
        }
        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }

    private static ImmutableArray<Value> Shuffled(ImmutableArray<Value> items)
    {
        var array = items.ToArray();
        new Random(42).Shuffle(array);
        return [.. array];
    }

    private static (T Result, TimeSpan Cpu, TimeSpan Wall) Measure<T>(Func<T> action)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = action();
        wall.Stop();
        process.Refresh();
        return (result, process.TotalProcessorTime - cpu, wall.Elapsed);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : fallback;
    }

    /// <summary>
    /// The hash an IntegerValue had before: the C# compiler's record hash,
    /// <c>hash(EqualityContract) * -1521134295 + long.GetHashCode()</c>, which folds 64 bits to 32 unseeded.
    /// </summary>
    private sealed class OldRecordHash : IEqualityComparer<Value>
    {
        public static readonly OldRecordHash Instance = new();

        public bool Equals(Value? x, Value? y) => Equals((object?)x, y);

        public int GetHashCode(Value value) => value switch
        {
            IntegerValue i => unchecked(EqualityComparer<Type>.Default.GetHashCode(typeof(IntegerValue)) * -1521134295
                + EqualityComparer<long>.Default.GetHashCode(i.Value)),
            _ => value.GetHashCode(),
        };
    }
}
