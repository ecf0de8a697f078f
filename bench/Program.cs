using BenchmarkDotNet.Running;
using Spillway.Bench;

// `throughput ...` runs the loopback throughput measurement (Throughput.cs), `websocket-throughput ...`
// the delivery to one WebSocket client (WebSocketThroughput.cs), `hashflood ...` decodes a set of
// integers that share one .NET hash code (HashFlood.cs); anything else goes to BenchmarkDotNet,
// e.g. `--filter '*'`.
if (args.Length > 0 && args[0] == "throughput")
    return await Throughput.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "websocket-throughput")
    return await WebSocketThroughput.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "hashflood")
    return HashFlood.Run(args[1..]);
// `quick ...` runs the side-by-side quick set (Quick/QuickSet.cs); `quick-child` is its subscriber process.
if (args.Length > 0 && args[0] == "quick")
    return await Spillway.Bench.Quick.QuickSet.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "quick-child")
    return await Spillway.Bench.Quick.SubscriberProcess.RunChildAsync(args[1..]);
// `scrape [--peers N] [--exporter opentelemetry|prometheus-net] [--rounds R]` repeats the quick set's scrape
// measurement (Quick/ScrapeAtScale.cs), for A/B runs and profiling.
if (args.Length > 0 && args[0] == "scrape")
    return await Spillway.Bench.Quick.ScrapeAtScale.RunAsync(args[1..]);
// `limits` measures issue 11's memory targets (LimitsMemory.cs).
if (args.Length > 0 && args[0] == "limits")
    return await LimitsMemory.RunAsync();

BenchmarkSwitcher.FromTypes([typeof(BufferBenchmarks), typeof(ScrapeBenchmarks), typeof(FanOutBenchmarks), typeof(SubscriptionBenchmarks), typeof(DecodeBenchmarks), typeof(EncodeBenchmarks), typeof(ReceiveBenchmarks)]).Run(args);
return 0;
