using BenchmarkDotNet.Running;
using Spillway.Bench;

// `throughput ...` runs the loopback throughput measurement (Throughput.cs); anything else goes to
// BenchmarkDotNet, e.g. `--filter '*'`.
if (args.Length > 0 && args[0] == "throughput")
    return await Throughput.RunAsync(args[1..]);
// `limits` measures issue 11's memory targets (LimitsMemory.cs).
if (args.Length > 0 && args[0] == "limits")
    return await LimitsMemory.RunAsync();

BenchmarkSwitcher.FromTypes([typeof(BufferBenchmarks), typeof(ScrapeBenchmarks), typeof(SubscriptionBenchmarks)]).Run(args);
return 0;
