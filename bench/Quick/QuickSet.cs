using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Spillway.Telemetry.Export;

namespace Spillway.Bench.Quick;

/// <summary>
/// The quick set (issue 14): Spillway side by side with nats-server and redis-server, the loopback
/// limits, latency at fixed rates, fan-out and scrape at scale, in one run that prints one table.
///
///   quick [--reps N] [--systems spillway,nats,redis] [--seconds S] [--warmup S] [--only throughput,latency,fanout,scrape,websocket,memory,tls]
/// </summary>
internal static class QuickSet
{
    private static readonly int[] Payloads = [64, 1024];
    private static readonly string[] AllSystems = ["spillway", "nats", "redis"];
    private static readonly double[] Rates = [10_000, 100_000, 1_000_000];
    private static readonly int[] FanOut = [1, 4, 16, 64];
    private static readonly int[] ScrapePeers = [10, 100, 1000, 10_000];
    private static readonly double[] TlsRates = [10_000, 100_000];

    public static async Task<int> RunAsync(string[] args)
    {
        var reps = 3;
        var seconds = 3.0;
        var warmup = 1.0;
        var only = new HashSet<string>(["throughput", "latency", "fanout", "scrape", "websocket", "memory", "tls"]);
        var systems = AllSystems;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--reps": reps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--only": only = [.. args[++i].Split(',')]; break;
                case "--systems": systems = args[++i].Split(','); break;
                default:
                    Console.Error.WriteLine($"unknown argument {args[i]}; usage: quick [--reps N] [--systems spillway,nats,redis] [--seconds S] [--warmup S] [--only throughput,latency,fanout,scrape,websocket,memory,tls]");
                    return 2;
            }
        }
        var (w, m) = (TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds));
        var clock = Stopwatch.StartNew();
        var loads = new List<double> { LoadAverage() };
        var table = new ResultTable();
        FanOutResult? idle = null;
        double? peering64 = null;
        var header = new List<string>
        {
            $"date {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores ({Cpu()}); .NET {Environment.Version}; {RuntimeInformation.OSDescription}",
            $"reps {reps}, warmup {warmup} s, measure {seconds} s per trial; delivered = counted in a second process",
        };

        using var nats = (only.Contains("throughput") && systems.Contains("nats")) || only.Contains("latency") ? ServerProcess.StartNats() : null;
        using var redis = only.Contains("throughput") && systems.Contains("redis") ? ServerProcess.StartRedis() : null;
        if (nats is not null) header.Add($"{nats.Version} on 127.0.0.1:{nats.Port} (core pub/sub, no JetStream)");
        if (redis is not null) header.Add($"{redis.Version.Split(' ').Take(3).Aggregate((a, b) => a + " " + b)} on 127.0.0.1:{redis.Port} (save \"\", appendonly no)");
        int Port(string system) => system switch { "nats" => nats!.Port, "redis" => redis!.Port, _ => 0 };
        int ServerPid(string system) => system switch { "nats" => nats!.ProcessId, "redis" => redis!.ProcessId, _ => 0 };
        void Progress(string text) => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {text}");
        foreach (var line in header) Console.WriteLine(line);

        if (only.Contains("throughput"))
        {
            var results = new Dictionary<(string, int), List<ThroughputResult>>();
            var raw = new List<RawPumpResult>();
            for (var rep = 0; rep < reps; rep++)
            {
                // Interleaved: every rep runs every system and payload, in a rotated order.
                var order = systems.Skip(rep % systems.Length).Concat(systems.Take(rep % systems.Length)).ToArray();
                foreach (var payload in Payloads)
                    foreach (var system in order)
                    {
                        var r = await Trials.ThroughputAsync(system, Port(system), payload, w, m, ServerPid(system));
                        (results.TryGetValue((system, payload), out var list) ? list : results[(system, payload)] = []).Add(r);
                        Progress($"rep {rep + 1}/{reps} throughput {system,-8} {payload,5} B: {Stats.Rate(r.MsgsPerSecond)}msgs/s, published {r.Published:N0}, lost {r.Lost:N0}, client drops {r.ClientDrops}, stalls {r.Stalls}; CPU per message {r.Cpu.Describe()}");
                    }
                var pump = await Trials.RawPumpAsync(w, m);
                raw.Add(pump);
                Progress($"rep {rep + 1}/{reps} raw loopback TCP pump: {Stats.Bytes(pump.BytesPerSecond)}/s; CPU per {RawTcp.CpuUnit} B {pump.Cpu.Describe()}");
                loads.Add(LoadAverage());
            }
            foreach (var payload in Payloads)
            {
                var target = payload == 64 ? 10 : 5;
                var ours = results.TryGetValue(("spillway", payload), out var mine) ? Stats.Median(mine.Select(r => r.MsgsPerSecond).ToList()) : double.NaN;
                foreach (var system in systems)
                {
                    var rs = results[(system, payload)];
                    var rates = rs.Select(r => r.MsgsPerSecond).ToList();
                    var median = Stats.Median(rates);
                    var verdict = system == "spillway" ? "" : Verdict(ours / median, x => x >= target, $">= {target}x", f => $"spillway {f}x", 2);
                    table.Add($"throughput {payload} B, msgs/s", system, Stats.Rate(median), Stats.Spread(rates, Stats.Rate), Lost(rs), verdict);
                }
                // Where the rates above come from: on busy cores, rates stand in the inverse ratio of CPU per message.
                var ourCpu = results.TryGetValue(("spillway", payload), out var own) ? MedianBy(own, r => r.Cpu.TotalNanos).Cpu.TotalNanos : double.NaN;
                foreach (var system in systems)
                {
                    var rs = results[(system, payload)];
                    var typical = MedianBy(rs, r => r.Cpu.TotalNanos).Cpu;
                    table.Add($"CPU per delivered message {payload} B, ns (all its processes)", system, Stats.F(typical.TotalNanos, 0),
                        "median rep: " + typical.Describe(), "", system == "spillway" || double.IsNaN(ourCpu) ? "" : $"{Stats.F(typical.TotalNanos / ourCpu, 2)}x spillway's");
                }
            }
            if (results.TryGetValue(("spillway", 64), out var p64)) peering64 = Stats.Median(p64.Select(r => r.MsgsPerSecond).ToList());
            var rawMedian = Stats.Median(raw.Select(r => r.BytesPerSecond).ToList());
            table.Add("raw loopback TCP, 1 MiB writes", "socket pump", Stats.Bytes(rawMedian) + "/s", Stats.Spread(raw.Select(r => r.BytesPerSecond).ToList(), x => Stats.Bytes(x) + "/s"));
            var rawCpu = MedianBy(raw, r => r.Cpu.TotalNanos).Cpu;
            table.Add($"raw loopback TCP: CPU per {RawTcp.CpuUnit} B moved (a 1 KiB frame), ns", "socket pump", Stats.F(rawCpu.TotalNanos, 0), "median rep: " + rawCpu.Describe(), "",
                results.TryGetValue(("spillway", 1024), out var kibRuns) ? $"spillway's 1 KiB message: {Stats.F(MedianBy(kibRuns, r => r.Cpu.TotalNanos).Cpu.TotalNanos / rawCpu.TotalNanos, 2)}x this" : "");
            var frame = SpillwayPeer.FrameSize(1024);
            var kib = results.TryGetValue(("spillway", 1024), out var k) ? Stats.Median(k.Select(r => r.MsgsPerSecond).ToList()) : double.NaN;
            var fraction = kib * frame / rawMedian;
            table.Add($"1 KiB throughput as bytes/s ({frame} B frames)", "spillway", Stats.Bytes(kib * frame) + "/s", $"payload {Stats.Bytes(kib * 1024)}/s", "",
                Verdict(fraction * 100, x => x >= 75, ">= 75%", f => $"{f}% of raw"));
        }

        if (only.Contains("latency"))
        {
            var ping = await Trials.PingPongAsync(w, m);
            Progress($"ping-pong RTT p50 {Stats.F(ping.P50)} us, p99 {Stats.F(ping.P99)} us, p99.9 {Stats.F(ping.P999)} us ({ping.Samples:N0} round trips)");
            table.Add("latency floor: 64 B ping-pong RTT p50 (p99 / p99.9) us", "raw TCP", Stats.F(ping.P50), $"p99 {Stats.F(ping.P99)} / p99.9 {Stats.F(ping.P999)}");
            var p99 = new Dictionary<(string, double), double>();
            foreach (var rate in Rates)
                foreach (var system in new[] { "spillway", "nats" })
                {
                    var r = await Trials.LatencyAsync(system, Port(system), 64, rate, w, m);
                    p99[(system, rate)] = r.P99;
                    Progress($"latency {system,-8} at {Stats.Rate(rate)}msgs/s offered ({Stats.Rate(r.SentPerSecond)}/s sent): p50 {Stats.F(r.P50)} us, p99 {Stats.F(r.P99)} us, p99.9 {Stats.F(r.P999)} us, max {Stats.F(r.Max)} us, {r.Samples:N0} samples, lost {r.Lost:N0}");
                    var sustained = r.SentPerSecond >= 0.95 * rate && r.Lost == 0;
                    var verdict = system == "nats" && rate == 100_000
                        ? Verdict(p99[("spillway", rate)] / r.P99, x => x <= 1, "<= 1x", f => $"spillway p99 {f}x nats", 2)
                        : "";
                    if (!sustained) verdict = ("not sustained; " + verdict).TrimEnd(' ', ';');
                    table.Add($"latency @{Stats.Rate(rate)}msgs/s p50 (p99 / p99.9) us", system, Stats.F(r.P50),
                        $"p99 {Stats.F(r.P99)} / p99.9 {Stats.F(r.P999)}; sent {Stats.Rate(r.SentPerSecond)}/s", r.Lost.ToString("N0", CultureInfo.InvariantCulture), verdict);
                }
            loads.Add(LoadAverage());
        }

        if (only.Contains("fanout"))
        {
            var runs = FanOut.ToDictionary(p => p, _ => new List<FanOutResult>());
            for (var rep = 0; rep < reps; rep++)
                foreach (var peers in rep % 2 == 0 ? FanOut : FanOut.Reverse())
                {
                    var r = await Trials.FanOutAsync(peers, 64, w, m);
                    runs[peers].Add(r);
                    Progress($"rep {rep + 1}/{reps} fan-out to {peers,2} peers: {Stats.F(r.NanosPerPublish)} ns ({Stats.F(r.CpuNanosPerPublish)} ns of thread CPU) and {Stats.F(r.BytesPerPublish)} B per publish, {Stats.Rate(r.DeliveredPerSecond)}msgs/s delivered in all, lost {r.Lost:N0}, idle peering {Stats.Bytes(r.IdleBytesPerPeering)}");
                }
            var medians = new List<(int Peers, double Nanos, double Bytes, double Cpu)>();
            foreach (var peers in FanOut)
            {
                var rs = runs[peers];
                var nanos = rs.Select(r => r.NanosPerPublish).ToList();
                var (ns, bytes) = (Stats.Median(nanos), Stats.Median(rs.Select(r => r.BytesPerPublish).ToList()));
                var cpu = Stats.Median(rs.Select(r => r.CpuNanosPerPublish).ToList());
                medians.Add((peers, ns, bytes, cpu));
                table.Add($"fan-out {peers} peers: ns per publish (64 B)", "spillway", Stats.F(ns), Stats.Spread(nanos, x => Stats.F(x)) +
                    $"; thread CPU {Stats.F(cpu)} ns; {Stats.F(bytes)} B/publish; {Stats.Rate(Stats.Median(rs.Select(r => r.DeliveredPerSecond).ToList()))}msgs/s delivered in all",
                    rs.Sum(r => r.Lost).ToString("N0", CultureInfo.InvariantCulture));
            }
            var (first, last) = (medians[0], medians[^1]);
            var nsPerPeer = (last.Nanos - first.Nanos) / (last.Peers - first.Peers);
            var bytesPerPeer = (last.Bytes - first.Bytes) / (last.Peers - first.Peers);
            table.Add($"fan-out growth {first.Peers} -> {last.Peers} peers: ns per added peer", "spillway", Stats.F(nsPerPeer), $"{Stats.F(bytesPerPeer, 2)} B per added peer", "",
                Verdict($"{Stats.Against(nsPerPeer, x => x <= 30)} ns, {Stats.F(bytesPerPeer, 2)} B", nsPerPeer <= 30 && bytesPerPeer < 0.5, "<= 30 ns, 0 B"));
            // The verdict above is on wall time, preemption included. The publisher thread's own CPU shows how
            // much of the growth is the publish's work and how much is the thread losing its core to the drain loops.
            var cpuPerPeer = (last.Cpu - first.Cpu) / (last.Peers - first.Peers);
            table.Add($"fan-out growth {first.Peers} -> {last.Peers} peers: publisher thread CPU per added peer", "spillway", Stats.F(cpuPerPeer), "ns; the publish's own work, time preempted left out", "", "");
            idle = runs[FanOut[^1]].OrderBy(r => r.IdleBytesPerPeering).ElementAt(runs[FanOut[^1]].Count / 2);
            loads.Add(LoadAverage());
        }

        if (only.Contains("scrape"))
        {
            var otel = new List<ScrapeResult>();
            foreach (var peers in ScrapePeers)
                foreach (var exporter in new[] { MetricsExporterKind.OpenTelemetry, MetricsExporterKind.PrometheusNet })
                {
                    var r = await ScrapeAtScale.MeasureAsync(exporter, peers);
                    if (exporter == MetricsExporterKind.OpenTelemetry) otel.Add(r);
                    var name = exporter == MetricsExporterKind.OpenTelemetry ? "opentelemetry (default)" : "prometheus-net";
                    Progress($"scrape {peers,5} peers {name}: {Stats.F(r.Milliseconds, 2)} ms, {r.Bytes:N0} B, {Stats.Bytes(r.AllocatedBytes)} allocated, {r.Series} of {r.ExpectedSeries} series served");
                    var verdict = peers == 1000 && exporter == MetricsExporterKind.OpenTelemetry ? Verdict(r.Milliseconds, x => x < 3, "< 3 ms", f => $"{f} ms", 2) : "";
                    if (r.Series != r.ExpectedSeries) verdict = ($"SERVED {r.Series} of {r.ExpectedSeries} series; " + verdict).TrimEnd(' ', ';');
                    table.Add($"scrape {peers} peers ({r.ExpectedSeries} series), ms", name, Stats.F(r.Milliseconds, 2),
                        $"min {Stats.F(r.MinMilliseconds, 2)}, cpu {Stats.F(r.CpuMilliseconds, 2)}; {Stats.Bytes(r.Bytes)}, {Stats.Bytes(r.AllocatedBytes)} alloc, {Stats.F(r.Milliseconds * 1e6 / r.Series, 0)} ns/series", "", verdict);
                }
            // Linear in series: the cost per series at 10,000 peers within 2x of that at 1,000.
            var (k1, k10) = (otel.First(r => r.Peers == 1000), otel.First(r => r.Peers == 10_000));
            var growth = (k10.Milliseconds / k10.Series) / (k1.Milliseconds / k1.Series);
            table.Add("scrape growth 1k -> 10k peers: per-series cost ratio", "opentelemetry (default)", Stats.F(growth, 2), "", "", Verdict(growth, x => x <= 2, "linear (<= 2x)", f => $"{f}x", 2));
        }

        // Hooks for measurements whose features are being built now.
        if (only.Contains("websocket"))
        {
            var (toClient, fromClient, toClientCpu) = (new List<double>(), new List<double>(), new List<CpuUse>());
            for (var rep = 0; rep < reps; rep++)
            {
                var (rate, cpu) = await WebSocketPath.ToClientAsync(64, w, m);
                toClient.Add(rate);
                toClientCpu.Add(cpu);
                var (back, backCpu) = await WebSocketPath.FromClientAsync(64, w, m);
                fromClient.Add(back);
                Progress($"rep {rep + 1}/{reps} websocket 64 B: peer -> JSON client {Stats.Rate(rate)}msgs/s (CPU per message {cpu.Describe()}), JSON client -> peer {Stats.Rate(back)}msgs/s (CPU per message {backCpu.Describe()})");
            }
            var peering = peering64 ?? double.NaN;
            var (to, from) = (Stats.Median(toClient), Stats.Median(fromClient));
            table.Add("websocket 64 B: peer -> one JSON client, msgs/s", "spillway", Stats.Rate(to), Stats.Spread(toClient, Stats.Rate), "",
                double.IsNaN(peering) ? "peering path not measured (add throughput)" : Verdict(to / peering * 100, x => x >= 25, ">= 25%", f => $"{f}% of peering"));
            var wsCpu = MedianBy(toClientCpu, c => c.TotalNanos);
            table.Add("websocket 64 B: peer -> one JSON client, CPU per message, ns", "spillway", Stats.F(wsCpu.TotalNanos, 0), "median rep: " + wsCpu.Describe());
            table.Add("websocket 64 B: JSON client -> peer, msgs/s", "spillway", Stats.Rate(from), Stats.Spread(fromClient, Stats.Rate), "",
                double.IsNaN(peering) ? "" : $"{Stats.F(from / peering * 100)}% of peering");
            loads.Add(LoadAverage());
        }
        else
            table.Add("websocket: peer -> JSON client, client -> peer msgs/s", "spillway", "not measured", "hook: quick --only websocket", "", "target >= 25% of peering");
        if (idle is not null)
            table.Add("memory per peering, idle (publisher side, managed heap)", "spillway", Stats.Bytes(idle.IdleBytesPerPeering),
                $"{idle.Peers} idle peerings of one endpoint after a forced GC");

        if (only.Contains("memory"))
        {
            // Idle at the default capacity and at 128x it (the on-demand ring), many peerings each; then full at each
            // bound, a few peerings each.
            var cases = new (string Name, int Capacity, long MaxBytes, int Payload, bool Fill)[]
            {
                ("default (8192 msgs, 64 MiB), 64 B", 8192, 64L << 20, 64, false),
                ("capacity 1,048,576 msgs, 64 B", 1 << 20, 64L << 20, 64, false),
                ("default (8192 msgs, 64 MiB), 64 B", 8192, 64L << 20, 64, true),
                ("default (8192 msgs, 64 MiB), 1 KiB", 8192, 64L << 20, 1024, true),
                ("byte-bounded (8192 msgs, 1 MiB), 1 KiB", 8192, 1L << 20, 1024, true),
            };
            // Once, not reported: the first peerings of a process also pay for what the process sets up once (pools,
            // timers, the socket engine's threads). Measured alone it read 16 kB per idle peering, 9 kB after.
            await PeeringMemory.MeasureAsync(cases[0].Name, cases[0].Capacity, cases[0].MaxBytes, cases[0].Payload, cases[0].Fill);
            PeeringMemoryResult? small = null;
            foreach (var c in cases)
            {
                var r = await PeeringMemory.MeasureAsync(c.Name, c.Capacity, c.MaxBytes, c.Payload, c.Fill);
                small ??= r;
                var attempts = r.Attempts == 1 ? "" : r.Plausible
                    ? $"; attempt {r.Attempts} (the heap shrank under the earlier ones)"
                    : $"; the heap shrank under all {r.Attempts} attempts: baseline disturbed, figure not valid";
                Progress($"memory per peering, {c.Name}: idle {Stats.Bytes(r.IdleBytesPerPeering)}" +
                    (r.FullBytesPerPeering is { } f ? $", full {Stats.Bytes(f)} ({Stats.F(r.QueuedPerPeering, 0)} msgs / {Stats.Bytes(r.QueuedBytesPerPeering)} queued)" : "") + attempts);
                // Idle does not depend on the payload or the byte bound: one row each for the two capacities.
                if (!c.Fill)
                    table.Add($"memory per peering, idle: {c.Name}", "spillway", Stats.Bytes(r.IdleBytesPerPeering),
                        $"{r.Peerings} peerings, one endpoint each, forced GC{attempts}", "",
                        c.Capacity > cases[0].Capacity ? $"on-demand ring: {Stats.F(r.IdleBytesPerPeering / small.IdleBytesPerPeering, 2)}x the default's idle" : "");
                if (r.FullBytesPerPeering is { } full)
                    table.Add($"memory per peering, full: {c.Name}", "spillway", Stats.Bytes(full),
                        $"{Stats.F(r.QueuedPerPeering, 0)} msgs / {Stats.Bytes(r.QueuedBytesPerPeering)} queued; receiver stopped{attempts}", "",
                        $"{Stats.F(full / Math.Max(1, r.QueuedBytesPerPeering), 2)}x the queued bytes");
            }
            loads.Add(LoadAverage());
        }

        if (only.Contains("tls"))
        {
            // Plaintext and mutual TLS 1.3 alternated (A/B), same 1 -> 1 shape as the throughput rows.
            var modes = new[] { "spillway", "spillway-tls" };
            var tput = modes.ToDictionary(x => x, _ => new List<double>());
            for (var rep = 0; rep < reps; rep++)
                foreach (var mode in rep % 2 == 0 ? modes : modes.Reverse())
                {
                    var r = await Trials.ThroughputAsync(mode, 0, 1024, w, m);
                    tput[mode].Add(r.MsgsPerSecond);
                    Progress($"rep {rep + 1}/{reps} tls: {mode,-12} 1024 B: {Stats.Rate(r.MsgsPerSecond)}msgs/s, lost {r.Lost:N0}");
                }
            var plain = Stats.Median(tput["spillway"]);
            foreach (var mode in modes)
            {
                var median = Stats.Median(tput[mode]);
                table.Add("TLS: throughput 1024 B, msgs/s", mode == "spillway" ? "spillway plaintext" : "spillway mutual TLS 1.3", Stats.Rate(median),
                    Stats.Spread(tput[mode], Stats.Rate), "",
                    mode == "spillway" ? "" : Verdict(median / plain * 100, x => x >= 50, ">= 50%", f => $"{f}% of plaintext"));
            }
            foreach (var rate in TlsRates)
            {
                var p99 = new Dictionary<string, double>();
                foreach (var mode in modes)
                {
                    var r = await Trials.LatencyAsync(mode, 0, 64, rate, w, m);
                    p99[mode] = r.P99;
                    Progress($"tls latency {mode,-12} at {Stats.Rate(rate)}msgs/s: p50 {Stats.F(r.P50)} us, p99 {Stats.F(r.P99)} us, p99.9 {Stats.F(r.P999)} us, lost {r.Lost:N0}");
                    var sustained = r.SentPerSecond >= 0.95 * rate && r.Lost == 0;
                    var note = mode == "spillway" ? "" : $"p99 {Stats.F(r.P99 / p99["spillway"], 2)}x plaintext";
                    if (!sustained) note = ("not sustained; " + note).TrimEnd(' ', ';');
                    table.Add($"TLS: latency @{Stats.Rate(rate)}msgs/s p50 (p99 / p99.9) us", mode == "spillway" ? "spillway plaintext" : "spillway mutual TLS 1.3",
                        Stats.F(r.P50), $"p99 {Stats.F(r.P99)} / p99.9 {Stats.F(r.P999)}; sent {Stats.Rate(r.SentPerSecond)}/s", r.Lost.ToString("N0", CultureInfo.InvariantCulture), note);
                }
            }
            loads.Add(LoadAverage());
        }

        loads.Add(LoadAverage());
        Console.WriteLine();
        foreach (var line in header) Console.WriteLine(line);
        Console.WriteLine($"load average (1 min) during the run: {string.Join(" -> ", loads.Select(l => Stats.F(l, 2)))}; took {clock.Elapsed:mm\\:ss}");
        Console.WriteLine();
        Console.Write(table.Render());
        return 0;
    }

    /// <summary>The repetition whose <paramref name="key"/> is the median (the lower middle one of an even count), whole: its parts belong together.</summary>
    private static T MedianBy<T>(IReadOnlyList<T> runs, Func<T, double> key) => runs.OrderBy(key).ElementAt((runs.Count - 1) / 2);

    private static string Lost(List<ThroughputResult> rs) =>
        rs.Sum(r => r.Lost) == 0 ? "0" : $"{rs.Sum(r => r.Lost):N0} of {rs.Sum(r => r.Published):N0}";

    private static string Verdict(string figure, bool met, string target) => $"{figure} (target {target}: {(met ? "met" : "MISSED")})";

    /// <summary>A verdict on <paramref name="value"/> alone: <paramref name="met"/> decides it, and the figure shows the value
    /// with the decimals it takes not to round across the target (<see cref="Stats.Against"/>).</summary>
    private static string Verdict(double value, Func<double, bool> met, string target, Func<string, string> figure, int digits = 1) =>
        Verdict(figure(Stats.Against(value, met, digits)), met(value), target);

    private static double LoadAverage()
    {
        try { return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture); }
        catch (IOException) { return double.NaN; }
    }

    private static string Cpu()
    {
        try
        {
            var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return model?.Split(':', 2)[1].Trim() ?? "unknown cpu";
        }
        catch (IOException) { return "unknown cpu"; }
    }
}
