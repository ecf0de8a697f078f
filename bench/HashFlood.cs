using System.Collections.Immutable;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Spillway.Engine.Peering;
using Spillway.Engine.Data;
using Spillway.Engine.Wire;
using Spillway.WebSockets.Json;

namespace Spillway.Bench;

/// <summary>
/// `hashflood [--count N] [--old-count N] [--repeats N]`: the hash-flooding input of issue 11, a JSON set of N
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
        Repeats = Option(args, "--repeats", 5);
        Console.WriteLine($"each figure: median process CPU of {Repeats} runs after a first (warm-up) run, a full GC before each (range and first run in brackets)");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");

        long[] numbers = Enumerable.Range(1, count).Select(k => (long)k << 32 | (uint)k).ToArray();
        Console.WriteLine($"{count} integers, distinct .NET hash codes: {numbers.Select(n => n.GetHashCode()).Distinct().Count()}");
        byte[] json = SetMessage(numbers);
        Console.WriteLine($"JSON message: {json.Length / 1024} KiB");

        var (set, jsonCpu, jsonWall, jsonRange) = Measure(() => (SetValue)BrokerJson.ParseDataMessage(json).Value);
        Console.WriteLine($"new JSON decode of {set.Items.Length} elements: {jsonCpu.TotalMilliseconds:F0} ms CPU [{jsonRange}], {jsonWall.TotalMilliseconds:F0} ms wall");
        Console.WriteLine($"distinct value hash codes now: {set.Items.Select(v => v.GetHashCode()).Distinct().Count()}");
        var shuffledNumbers = numbers.ToArray();
        new Random(7).Shuffle(shuffledNumbers);
        byte[] shuffledJson = SetMessage(shuffledNumbers);
        var (_, shuffledJsonCpu, shuffledJsonWall, shuffledJsonRange) = Measure(() => BrokerJson.ParseDataMessage(shuffledJson).Value);
        Console.WriteLine($"new JSON decode, elements shuffled: {shuffledJsonCpu.TotalMilliseconds:F0} ms CPU [{shuffledJsonRange}], {shuffledJsonWall.TotalMilliseconds:F0} ms wall");
        byte[] duplicateJson = SetMessage(shuffledNumbers.Append(shuffledNumbers[0]));
        var (rejected, duplicateCpu, _, duplicateRange) = Measure(() =>
        {
            try { BrokerJson.ParseDataMessage(duplicateJson); return "accepted"; }
            catch (BrokerJsonException e) { return e.Message; }
        });
        Console.WriteLine($"new JSON decode, shuffled with one duplicate: {duplicateCpu.TotalMilliseconds:F0} ms CPU [{duplicateRange}], rejected: {rejected}");

        var wire = new byte[ValueCodec.GetEncodedSize(set)];
        var writer = new WireWriter(wire);
        ValueCodec.Write(ref writer, set);
        var shuffled = Shuffled(set.Items);
        var shuffledWire = new byte[wire.Length];
        var shuffledWriter = new WireWriter(shuffledWire);
        shuffledWriter.WriteByte((byte)ValueKind.Set);
        shuffledWriter.WriteVarUInt32((uint)shuffled.Length);
        foreach (var item in shuffled) ValueCodec.Write(ref shuffledWriter, item);
        var (_, wireCpu, _, wireRange) = Measure(() => ReadWire(wire));
        var (_, shuffledCpu, _, shuffledRange) = Measure(() => ReadWire(shuffledWire));
        Console.WriteLine($"new wire decode: {wireCpu.TotalMilliseconds:F0} ms CPU [{wireRange}] in canonical order, {shuffledCpu.TotalMilliseconds:F0} ms CPU [{shuffledRange}] shuffled");
        var (hashed, hashCpu, _, hashRange) = Measure(() => new HashSet<Value>(set.Items).Count);
        Console.WriteLine($"HashSet<Value> of the {hashed} values with the new hash codes: {hashCpu.TotalMilliseconds:F0} ms CPU [{hashRange}]");

        ThroughNodeAsync(shuffledJson, duplicateJson).GetAwaiter().GetResult();

        foreach (int n in new[] { oldCount / 2, oldCount })
        {
            var items = set.Items.Take(n).ToArray();
            var (_, oldCpu, _, _) = Measure(() => new HashSet<Value>(items, OldRecordHash.Instance).Count);
            double projected = oldCpu.TotalSeconds * ((double)count / n) * ((double)count / n);
            Console.WriteLine($"old duplicate check (old hash) of {n} elements: {oldCpu.TotalMilliseconds:F0} ms CPU; quadratic projection to {count}: {projected:F0} s");
        }
        return 0;
    }

    /// <summary>
    /// The attack as the node sees it: an endpoint with default options serves the WebSocket API on
    /// 127.0.0.1 (Kestrel, in this process); a real ClientWebSocket sends the shuffled set as a data
    /// message, and the figure is process CPU from the send until a local subscriber on the node has the
    /// set (accepted) or the client has the error message (rejected duplicate). The client's own cost of
    /// sending 7 MiB over loopback is included, so the node's share is at most this.
    /// </summary>
    private static async Task ThroughNodeAsync(byte[] shuffledJson, byte[] duplicateJson)
    {
        await using var endpoint = new SpillwayEndpoint(new EndpointOptions());
        var (app, uri) = await BenchWebSocketHost.StartAsync(endpoint);
        await using var _ = app;
        using var client = new ClientWebSocket();
        await client.ConnectAsync(uri, CancellationToken.None);
        await client.SendAsync("[]"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        await client.ReceiveAsync(buffer, CancellationToken.None); // the ack

        var delivered = new SemaphoreSlim(0);
        int deliveredItems = 0;
        using var subscription = endpoint.Subscribe("/flood", (_, value) =>
        {
            deliveredItems = ((SetValue)value).Items.Length;
            delivered.Release();
        });

        var (_, acceptedCpu, acceptedWall, acceptedRange) = Measure(() =>
        {
            client.SendAsync(shuffledJson, WebSocketMessageType.Text, true, CancellationToken.None).GetAwaiter().GetResult();
            if (!delivered.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException("the node never delivered the set");
            return deliveredItems;
        });
        Console.WriteLine($"through a node (WebSocket, default options), shuffled set accepted and delivered ({deliveredItems} elements): " +
            $"{acceptedCpu.TotalMilliseconds:F0} ms CPU [{acceptedRange}], {acceptedWall.TotalMilliseconds:F0} ms wall");

        var (reply, rejectedCpu, rejectedWall, rejectedRange) = Measure(() =>
        {
            client.SendAsync(duplicateJson, WebSocketMessageType.Text, true, CancellationToken.None).GetAwaiter().GetResult();
            var received = client.ReceiveAsync(buffer, CancellationToken.None).GetAwaiter().GetResult();
            return Encoding.UTF8.GetString(buffer, 0, received.Count);
        });
        Console.WriteLine($"through a node, shuffled set with one duplicate: {rejectedCpu.TotalMilliseconds:F0} ms CPU [{rejectedRange}], " +
            $"{rejectedWall.TotalMilliseconds:F0} ms wall; the client got {reply}");
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

    /// <summary>
    /// Runs the action once to warm it up (tiered JIT, first-touch of the input), then <see cref="Repeats"/>
    /// times, each run after a full collection so that no earlier run's garbage is billed to it; reports the
    /// median process CPU time (which includes the GC threads' work on this run's own garbage) and wall time,
    /// and the CPU range with the first run's figure.
    /// </summary>
    private static (T Result, TimeSpan Cpu, TimeSpan Wall, string Range) Measure<T>(Func<T> action)
    {
        var cpus = new TimeSpan[Repeats + 1];
        var walls = new TimeSpan[Repeats + 1];
        var process = Process.GetCurrentProcess();
        T result = default!;
        for (int i = 0; i <= Repeats; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            result = action();
            wall.Stop();
            process.Refresh();
            cpus[i] = process.TotalProcessorTime - cpu;
            walls[i] = wall.Elapsed;
        }
        // The first run pays for tier-0 code and first-touch page faults: a node that has never decoded a
        // large set pays it once. Report it beside the steady state.
        var first = cpus[0];
        cpus = cpus[1..];
        walls = walls[1..];
        Array.Sort(cpus);
        Array.Sort(walls);
        var range = $"{cpus[0].TotalMilliseconds:F0}-{cpus[^1].TotalMilliseconds:F0} ms; first run {first.TotalMilliseconds:F0} ms";
        return (result, cpus[Repeats / 2], walls[Repeats / 2], range);
    }

    private static int Repeats = 5;

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
