using System.Diagnostics;
using System.Globalization;
using Spillway.Engine.Peering;

namespace Spillway.Bench.Quick;

/// <param name="Cpu">CPU per message delivered in the measured window, per process (<see cref="CpuMeter"/>).</param>
internal sealed record ThroughputResult(double MsgsPerSecond, long Published, long Delivered, long Lost, long ClientDrops, long Stalls, CpuUse Cpu);

/// <param name="Cpu">CPU per <see cref="RawTcp.CpuUnit"/> bytes moved in the measured window, per process.</param>
internal sealed record RawPumpResult(double BytesPerSecond, CpuUse Cpu);

internal sealed record LatencyResult(double OfferedPerSecond, double SentPerSecond, long Samples, double P50, double P99, double P999, double Max, long Lost);

/// <param name="CpuNanosPerPublish">The publisher thread's own CPU per publish (no time preempted); -1 where not measured.</param>
internal sealed record FanOutResult(int Peers, double NanosPerPublish, double BytesPerPublish, double DeliveredPerSecond, long Lost, double IdleBytesPerPeering, double CpuNanosPerPublish);

/// <summary>
/// One measurement each: a fresh subscriber process, one publishing thread here, counts read from
/// shared memory. Every system gets the same publisher loop and the same flow control: the publisher
/// waits whenever more than <c>window</c> messages are in flight (published - delivered), and also
/// while the client's own queue is above half full (only Spillway exposes one), so "as fast as the
/// client allows, nothing lost". A publisher stuck for a second anyway (a subscriber dropped by its
/// server) goes on publishing: the loss is then counted, not hidden.
/// </summary>
internal static class Trials
{
    private const int CheckEvery = 256;

    /// <summary>
    /// The subscriber process of <paramref name="system"/> and what it takes to connect to it: for <c>spillway-tls</c>
    /// (Spillway over mutual TLS 1.3) a throwaway CA, the receiver's identity handed over in files beside the
    /// counters (deleted once the child has loaded them), and the publisher's identity returned.
    /// </summary>
    private static async Task<(SubscriberProcess Child, PeerTlsOptions? Tls)> StartSubscriberAsync(string system, int serverPort, SharedCounters counters, bool latency)
    {
        PeerTlsOptions? tls = null;
        if (system == "spillway-tls")
        {
            var (publisher, receiver) = BenchCertificates.Create();
            BenchCertificates.Save(receiver, counters.Path);
            tls = publisher;
        }
        try { return (await SubscriberProcess.StartAsync(system, system.StartsWith("spillway", StringComparison.Ordinal) ? 1 : serverPort, counters, latency), tls); }
        finally { if (tls is not null) BenchCertificates.Delete(counters.Path); }
    }

    private static async Task<IBenchSender> ConnectAsync(string system, SubscriberProcess child, int serverPort, int payload, PeerTlsOptions? tls) => system switch
    {
        "spillway" or "spillway-tls" => await SpillwayPeer.ConnectAsync(child.Ports, payload, tls: tls),
        "nats" => await NatsPeer.ConnectAsync(serverPort, payload),
        "redis" => await RedisPeer.ConnectAsync(serverPort, payload),
        _ => throw new ArgumentException($"unknown system {system}", nameof(system)),
    };

    /// <param name="serverPid">The nats-server or redis-server process, whose CPU the trial counts too (0: none).</param>
    public static async Task<ThroughputResult> ThroughputAsync(string system, int serverPort, int payload, TimeSpan warmup, TimeSpan measure, int serverPid = 0)
    {
        using var counters = SharedCounters.Create();
        var (child, tls) = await StartSubscriberAsync(system, serverPort, counters, latency: false);
        using var _ = child;
        await using var sender = await ConnectAsync(system, child, serverPort, payload, tls);
        // In flight at most ~4 MiB (or 64 k messages): inside Redis's default pubsub output-buffer limit.
        var window = Math.Clamp((4 << 20) / payload, 1024, 65536);
        long published = 0, stalls = 0;
        var stop = false;
        var thread = new Thread(() =>
        {
            var n = 0L;
            var stallTicks = Stopwatch.Frequency;
            while (!Volatile.Read(ref stop))
            {
                sender.Send(0);
                Volatile.Write(ref published, ++n);
                if (n % CheckEvery != 0) continue;
                var spin = new SpinWait();
                var since = 0L;
                while (!Volatile.Read(ref stop) && (n - counters.Read(SharedCounters.Delivered) > window || sender.Congested))
                {
                    if (since == 0) since = Stopwatch.GetTimestamp();
                    else if (Stopwatch.GetTimestamp() - since > stallTicks) { stalls++; break; }
                    spin.SpinOnce();
                }
            }
        }) { IsBackground = true, Name = "publisher" };
        thread.Start();
        // The publishing process includes its flow-control waits (a spin that soon yields its core).
        var cpu = new CpuMeter(("publisher", Environment.ProcessId), ("server", serverPid), ("subscriber", child.ProcessId));
        var (rate, used) = await MeasuredWindow.MeasureAsync(counters, warmup, measure, cpu);
        Volatile.Write(ref stop, true);
        thread.Join();
        var total = Volatile.Read(ref published);
        var delivered = await DrainAsync(counters, total);
        return new ThroughputResult(rate, total, delivered, total - delivered, sender.ClientDrops, stalls, used);
    }

    /// <summary>Waits until everything published arrived or nothing moved for 2 s; returns the delivered total.</summary>
    private static async Task<long> DrainAsync(SharedCounters counters, long expected)
    {
        var last = -1L;
        var still = Stopwatch.StartNew();
        while (true)
        {
            var now = counters.Read(SharedCounters.Delivered);
            if (now >= expected) return now;
            if (now != last) { last = now; still.Restart(); }
            else if (still.Elapsed > TimeSpan.FromSeconds(2)) return now;
            await Task.Delay(20);
        }
    }

    /// <summary>Raw loopback TCP: 1 MiB writes into a reading process; bytes/s, and CPU per <see cref="RawTcp.CpuUnit"/> bytes.</summary>
    public static async Task<RawPumpResult> RawPumpAsync(TimeSpan warmup, TimeSpan measure)
    {
        using var counters = SharedCounters.Create();
        using var child = await SubscriberProcess.StartAsync("sink", 0, counters, latency: false);
        var stop = false;
        var thread = new Thread(() => RawTcp.Pump(child.Ports[0], () => Volatile.Read(ref stop))) { IsBackground = true, Name = "pump" };
        thread.Start();
        var cpu = new CpuMeter(("writer", Environment.ProcessId), ("reader", child.ProcessId));
        var (bytesPerSecond, used) = await MeasuredWindow.MeasureAsync(counters, warmup, measure, cpu, RawTcp.CpuUnit);
        Volatile.Write(ref stop, true);
        thread.Join();
        return new RawPumpResult(bytesPerSecond, used);
    }

    /// <summary>Raw 64-byte ping-pong between two processes: RTT p50 / p99 / p99.9 in microseconds.</summary>
    public static async Task<(double P50, double P99, double P999, long Samples)> PingPongAsync(TimeSpan warmup, TimeSpan measure)
    {
        using var counters = SharedCounters.Create();
        using var child = await SubscriberProcess.StartAsync("echo", 0, counters, latency: false);
        var h = await Task.Run(() => RawTcp.PingPong(child.Ports[0], measure, warmup));
        return (h.GetValueAtPercentile(50) / 1000.0, h.GetValueAtPercentile(99) / 1000.0, h.GetValueAtPercentile(99.9) / 1000.0, h.TotalCount);
    }

    /// <summary>
    /// Messages offered at a fixed rate, each stamped with its intended send time; the subscriber
    /// process records publish -> delivery. No flow control: a system that cannot keep up shows it
    /// as latency (and, past its buffers, as loss).
    /// </summary>
    public static async Task<LatencyResult> LatencyAsync(string system, int serverPort, int payload, double rate, TimeSpan warmup, TimeSpan measure)
    {
        using var counters = SharedCounters.Create();
        var (child, tls) = await StartSubscriberAsync(system, serverPort, counters, latency: true);
        using var _ = child;
        await using var sender = await ConnectAsync(system, child, serverPort, payload, tls);
        var freq = (double)Stopwatch.Frequency;
        var ticksPerMessage = freq / rate;
        long sent = 0;
        var start = Stopwatch.GetTimestamp();
        var recordFrom = start + (long)(warmup.TotalSeconds * freq);
        var end = recordFrom + (long)(measure.TotalSeconds * freq);
        counters.Write(SharedCounters.RecordFrom, recordFrom);
        // Every message of the window is sent, however late: a publisher behind its rate then shows
        // its backlog as latency instead of never reaching the measured window. Cut off at twice the window.
        var total = (long)((warmup + measure).TotalSeconds * rate);
        var cutoff = end + (long)(measure.TotalSeconds * freq);
        var thread = new Thread(() =>
        {
            var i = 0L;
            while (i < total)
            {
                var now = Stopwatch.GetTimestamp();
                if (now >= cutoff) break;
                var due = (long)((now - start) / ticksPerMessage) + 1;
                if (i >= due)
                {
                    // Spin while the next message is close; let the other core's work run otherwise.
                    if ((start + (long)(i * ticksPerMessage)) - now > freq / 20_000) Thread.Yield();
                    continue;
                }
                var batchEnd = Math.Min(Math.Min(due, total), i + 1024);
                for (; i < batchEnd; i++) sender.Send(start + (long)(i * ticksPerMessage));
                Volatile.Write(ref sent, i);
            }
            Volatile.Write(ref sent, i);
        }) { IsBackground = true, Name = "paced-publisher" };
        thread.Start();
        thread.Join();
        var sentTotal = Volatile.Read(ref sent);
        var sendSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var delivered = await DrainAsync(counters, sentTotal);
        var fields = child.Latency().Split(' ').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return new LatencyResult(rate, sentTotal / sendSeconds, (long)fields[0], fields[1], fields[2], fields[3], fields[4], sentTotal - delivered);
    }

    /// <summary>
    /// One Spillway publisher peered with <paramref name="peers"/> endpoints (all in one subscriber
    /// process). Publish cost is the time inside Publish only (timed per 256 calls), allocation is this
    /// thread's allocated bytes per publish; delivered is the aggregate over all peers.
    /// </summary>
    public static async Task<FanOutResult> FanOutAsync(int peers, int payload, TimeSpan warmup, TimeSpan measure)
    {
        using var counters = SharedCounters.Create();
        using var child = await SubscriberProcess.StartAsync("spillway", peers, counters, latency: false);
        var heap0 = GC.GetTotalMemory(forceFullCollection: true);
        await using var sender = await SpillwayPeer.ConnectAsync(child.Ports, payload);
        await Task.Delay(200); // hello exchanged, drain loops parked
        var idleBytes = (double)(GC.GetTotalMemory(forceFullCollection: true) - heap0) / peers;
        var window = 4096L * peers;
        long published = 0, publishTicks = 0, publishCpu = 0, allocated = 0, measuring = 0;
        var stop = false;
        var thread = new Thread(() =>
        {
            var n = 0L;
            while (!Volatile.Read(ref stop))
            {
                var a0 = GC.GetAllocatedBytesForCurrentThread();
                var c0 = ThreadCpu.Nanoseconds();
                var t0 = Stopwatch.GetTimestamp();
                for (var k = 0; k < CheckEvery; k++) sender.Send(0);
                var t1 = Stopwatch.GetTimestamp();
                var c1 = ThreadCpu.Nanoseconds();
                var a1 = GC.GetAllocatedBytesForCurrentThread();
                n += CheckEvery;
                if (Volatile.Read(ref measuring) == 1)
                {
                    publishTicks += t1 - t0;
                    publishCpu = c0 < 0 || publishCpu < 0 ? -1 : publishCpu + (c1 - c0);
                    allocated += a1 - a0;
                    published += CheckEvery;
                }
                var spin = new SpinWait();
                while (!Volatile.Read(ref stop) && (n * peers - counters.Read(SharedCounters.Delivered) > window || sender.Congested)) spin.SpinOnce();
            }
            Volatile.Write(ref measuring, n); // total published, for the loss count
        }) { IsBackground = true, Name = "fan-out-publisher" };
        thread.Start();
        await Task.Delay(warmup);
        var (d0, t0) = (counters.Read(SharedCounters.Delivered), Stopwatch.GetTimestamp());
        Volatile.Write(ref measuring, 1);
        await Task.Delay(measure);
        var (d1, t1) = (counters.Read(SharedCounters.Delivered), Stopwatch.GetTimestamp());
        Volatile.Write(ref stop, true);
        thread.Join();
        var total = Volatile.Read(ref measuring) * peers;
        var delivered = await DrainAsync(counters, total);
        var nanos = publishTicks * 1e9 / Stopwatch.Frequency / Math.Max(1, published);
        var cpuNanos = publishCpu < 0 ? -1 : (double)publishCpu / Math.Max(1, published);
        return new FanOutResult(peers, nanos, (double)allocated / Math.Max(1, published), (d1 - d0) / Stopwatch.GetElapsedTime(t0, t1).TotalSeconds, total - delivered, idleBytes, cpuNanos);
    }
}
