using System.Diagnostics;
using System.Globalization;
using System.Net;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Engine.Wire;

namespace Spillway.Bench;

/// <summary>
/// Loopback throughput of two real endpoints peered over 127.0.0.1 TCP (not BenchmarkDotNet).
///
///   throughput [--seconds N] [--warmup N] [--payload BYTES] [--two-process] [--tls]
///   throughput --receiver PORT [--tls-files PREFIX]  (the child half of --two-process; PORT 0 = any free port)
///
/// One publisher thread publishes (topic "bench/tp", StringValue of PAYLOAD ASCII characters) in a loop;
/// the receiver counts messages in a Subscribe handler. The publisher's peering uses drop_newest with the
/// default capacity 8192, and the publisher backs off (checks every 256 messages) whenever the buffer is
/// more than half full, so what is measured is delivered throughput; any overflow is reported.
/// --tls peers over mutual TLS 1.3 with certificates made at start (BenchCertificates); with --two-process the
/// receiver's identity goes to the child in two temporary files (--tls-files), deleted once it is listening.
/// </summary>
internal static class Throughput
{
    private const string Topic = "bench/tp";
    private const int CheckEvery = 256;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = 10;
        var warmup = 2;
        var payload = 64;
        var twoProcess = false;
        var tls = false;
        int? receiverPort = null;
        string? tlsFiles = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--payload": payload = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--two-process": twoProcess = true; break;
                case "--tls": tls = true; break;
                case "--receiver": receiverPort = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--tls-files": tlsFiles = args[++i]; break;
                default:
                    Console.Error.WriteLine($"unknown argument {args[i]}; usage: throughput [--seconds N] [--warmup N] [--payload BYTES] [--two-process] [--tls] | throughput --receiver PORT [--tls-files PREFIX]");
                    return 2;
            }
        }
        if (receiverPort is { } port) return await RunReceiverAsync(port, tlsFiles is null ? null : BenchCertificates.Load(tlsFiles));
        return twoProcess ? await RunTwoProcessAsync(seconds, warmup, payload, tls) : await RunInProcessAsync(seconds, warmup, payload, tls);
    }

    // ---- receiver --------------------------------------------------------------------------------

    private sealed class Counter { public long Value; }

    private static (SpillwayEndpoint Endpoint, Counter Counter, IDisposable Subscription) NewReceiver(PeerTlsOptions? tls = null)
    {
        var endpoint = new SpillwayEndpoint(new EndpointOptions { Tls = tls });
        var counter = new Counter();
        // Subscribe before listening, so the hello already carries the subscription.
        var subscription = endpoint.Subscribe(Topic, (_, _) => Interlocked.Increment(ref counter.Value));
        return (endpoint, counter, subscription);
    }

    /// <summary>Child process: listens, prints "READY port", answers each "count" line on stdin with its total.</summary>
    private static async Task<int> RunReceiverAsync(int port, PeerTlsOptions? tls)
    {
        var (endpoint, counter, subscription) = NewReceiver(tls);
        await using (endpoint)
        using (subscription)
        {
            var bound = endpoint.Listen(IPAddress.Loopback, port);
            Console.Out.WriteLine($"READY {bound}");
            Console.Out.Flush();
            string? line;
            while ((line = Console.In.ReadLine()) is not null && line != "quit")
            {
                if (line == "count")
                {
                    Console.Out.WriteLine(Interlocked.Read(ref counter.Value).ToString(CultureInfo.InvariantCulture));
                    Console.Out.Flush();
                }
            }
        }
        return 0;
    }

    private static async Task<int> RunInProcessAsync(int seconds, int warmup, int payload, bool tls)
    {
        var certificates = tls ? BenchCertificates.Create() : default;
        var (receiver, counter, subscription) = NewReceiver(certificates.Receiver);
        await using (receiver)
        using (subscription)
        {
            var port = receiver.Listen(IPAddress.Loopback, 0);
            return await RunPublisherAsync(tls ? "in-process (two endpoints, one process), mutual TLS 1.3" : "in-process (two endpoints, one process)", port,
                () => Interlocked.Read(ref counter.Value), seconds, warmup, payload, certificates.Publisher);
        }
    }

    private static async Task<int> RunTwoProcessAsync(int seconds, int warmup, int payload, bool tls)
    {
        var certificates = tls ? BenchCertificates.Create() : default;
        var tlsFiles = Path.Combine(Path.GetTempPath(), $"spillway-bench-{Environment.ProcessId}");
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Under `dotnet Spillway.Bench.dll` the process path is the dotnet host: pass the dll too.
        if (string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(Throughput).Assembly.Location);
        foreach (var a in new[] { "throughput", "--receiver", "0" }) start.ArgumentList.Add(a);
        if (tls)
        {
            BenchCertificates.Save(certificates.Receiver, tlsFiles);
            start.ArgumentList.Add("--tls-files");
            start.ArgumentList.Add(tlsFiles);
        }
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the receiver process");
        try
        {
            var ready = await child.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("receiver exited before it was ready");
            if (tls) BenchCertificates.Delete(tlsFiles);
            if (!ready.StartsWith("READY ", StringComparison.Ordinal)) throw new InvalidOperationException($"unexpected receiver output: {ready}");
            var port = int.Parse(ready["READY ".Length..], CultureInfo.InvariantCulture);
            long Delivered()
            {
                child.StandardInput.WriteLine("count");
                child.StandardInput.Flush();
                return long.Parse(child.StandardOutput.ReadLine() ?? "0", CultureInfo.InvariantCulture);
            }
            return await RunPublisherAsync($"two processes (receiver pid {child.Id}){(tls ? ", mutual TLS 1.3" : "")}", port, Delivered, seconds, warmup, payload,
                certificates.Publisher);
        }
        finally
        {
            if (tls) BenchCertificates.Delete(tlsFiles);
            try { child.StandardInput.WriteLine("quit"); child.StandardInput.Flush(); } catch (IOException) { }
            if (!child.WaitForExit(5000)) child.Kill();
        }
    }

    // ---- publisher and measurement ---------------------------------------------------------------

    private static async Task<int> RunPublisherAsync(string mode, int port, Func<long> delivered, int seconds, int warmup, int payload,
        PeerTlsOptions? tls = null)
    {
        var options = new EndpointOptions { PeerOverflowPolicy = OverflowPolicy.DropNewest, Tls = tls };
        await using var publisher = new SpillwayEndpoint(options);
        var added = new TaskCompletionSource<PeerInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        publisher.PeerAdded += (_, e) => added.TrySetResult(e.Peer);
        publisher.Peer("127.0.0.1", port);
        var peer = (await added.Task.WaitAsync(TimeSpan.FromSeconds(10))).EndpointId;

        Value value = Value.Of(new string('x', payload));
        var frameSize = FrameCodec.EncodeData(Topic, value).Length;
        var capacity = options.PeerBufferSize;
        var highWater = capacity / 2;
        Console.WriteLine($"mode: {mode}");
        Console.WriteLine($"message: topic \"{Topic}\", StringValue of {payload} ASCII chars -> {frameSize}-byte frame on the wire");
        Console.WriteLine($"publisher buffer: {capacity} messages, {OverflowPolicyNames.DropNewest}, back-off above {highWater} queued (checked every {CheckEvery} messages)");
        Console.WriteLine($"warmup {warmup} s, measure {seconds} s; {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");

        if (publisher.Publish(Topic, value) != 1) throw new InvalidOperationException("the peer does not subscribe to the bench topic");
        long published = 1, backoffs = 0;
        var stop = false;
        var thread = new Thread(() =>
        {
            var n = 1L;
            while (!Volatile.Read(ref stop))
            {
                publisher.Publish(Topic, value);
                Volatile.Write(ref published, ++n);
                if (n % CheckEvery != 0) continue;
                var spin = new SpinWait();
                var counted = false;
                while (!Volatile.Read(ref stop) && publisher.TryGetPeeringStats(peer, out var s) && s.Queued > highWater)
                {
                    if (!counted) { backoffs++; counted = true; }
                    spin.SpinOnce();
                }
            }
        }) { IsBackground = true, Name = "publisher" };

        var clock = Stopwatch.StartNew();
        thread.Start();
        long lastPub = 0, lastDel = 0, pub0 = 0, del0 = 0, alloc0 = 0;
        var t0 = TimeSpan.Zero;
        var gc0 = 0;
        for (var second = 1; second <= warmup + seconds; second++)
        {
            await Task.Delay(TimeSpan.FromSeconds(second) - clock.Elapsed);
            var pub = Volatile.Read(ref published);
            var del = delivered();
            publisher.TryGetPeeringStats(peer, out var s);
            var phase = second <= warmup ? "warmup " : "measure";
            Console.WriteLine($"[{phase} {second,3} s] published {pub - lastPub,10:N0}/s  delivered {del - lastDel,10:N0}/s  queued {s.Queued,5}  max recent {s.RecentMax,5}  overflows {s.Overflows}");
            lastPub = pub;
            lastDel = del;
            if (second == warmup)
            {
                (pub0, del0, t0) = (pub, del, clock.Elapsed);
                alloc0 = GC.GetTotalAllocatedBytes();
                gc0 = GC.CollectionCount(0);
            }
        }
        var (pub1, del1, t1) = (Volatile.Read(ref published), delivered(), clock.Elapsed);
        var allocated = GC.GetTotalAllocatedBytes() - alloc0;
        var gcs = GC.CollectionCount(0) - gc0;
        Volatile.Write(ref stop, true);
        thread.Join();

        // Let the pipe drain, then compare totals.
        var finalPub = Volatile.Read(ref published);
        var deadline = Stopwatch.StartNew();
        long finalDel;
        while ((finalDel = delivered()) < finalPub && deadline.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(50);
        publisher.TryGetPeeringStats(peer, out var final);

        var window = (t1 - t0).TotalSeconds;
        var pubRate = (pub1 - pub0) / window;
        var delRate = (del1 - del0) / window;
        Console.WriteLine();
        Console.WriteLine($"RESULT {mode}");
        Console.WriteLine($"  window            {window:F2} s (after {warmup} s warmup); published {pub0:N0} -> {pub1:N0}, delivered {del0:N0} -> {del1:N0}");
        Console.WriteLine($"  published         {pubRate,12:N0} msgs/s");
        Console.WriteLine($"  delivered         {delRate,12:N0} msgs/s   ({delRate * frameSize / 1e6:F1} MB/s of {frameSize}-byte frames)");
        Console.WriteLine($"  back-offs         {backoffs:N0} (publisher found the buffer above half full)");
        Console.WriteLine($"  overflows         {final.Overflows:N0}");
        Console.WriteLine($"  totals            published {finalPub:N0}, delivered {finalDel:N0}, lost {finalPub - finalDel:N0}");
        Console.WriteLine($"  this process      {(double)allocated / Math.Max(1, pub1 - pub0):F0} B allocated per published message, {gcs} gen0 GCs in the window");
        return 0;
    }
}
