using BenchmarkDotNet.Running;
using Spillway.Bench;

// `throughput ...` runs the loopback throughput measurement (Throughput.cs); anything else goes to
// BenchmarkDotNet, e.g. `--filter '*'`.
if (args.Length > 0 && args[0] == "throughput")
    return await Throughput.RunAsync(args[1..]);
// `quick ...` runs the side-by-side quick set (Quick/QuickSet.cs); `quick-child` is its subscriber process.
if (args.Length > 0 && args[0] == "quick")
    return await Spillway.Bench.Quick.QuickSet.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "quick-child")
    return await Spillway.Bench.Quick.SubscriberProcess.RunChildAsync(args[1..]);

BenchmarkSwitcher.FromTypes([typeof(BufferBenchmarks), typeof(ScrapeBenchmarks), typeof(FanOutBenchmarks)]).Run(args);
return 0;
