using System.Diagnostics;
using System.Globalization;

namespace Spillway.Bench.Quick;

/// <summary>
/// The receiving half of every quick-set measurement runs in a second process (this executable,
/// <c>quick-child</c>), so "delivered" always means "crossed a process boundary over loopback".
///
///   quick-child SYSTEM ARG COUNTERS-FILE [latency]
///
/// SYSTEM is spillway or spillway-tls (ARG = number of listening endpoints; spillway-tls loads the receiver's TLS
/// identity that <see cref="BenchCertificates.Save"/> wrote beside COUNTERS-FILE), nats or redis (ARG = server port), sink or
/// echo (raw TCP, ARG unused), or wsnode (a node with the WebSocket gateway: ports peering,http). The child prints "READY port[,port...]" once it can receive, answers
/// "latency" on stdin with the recorder's summary line and exits on "quit" or end of input.
/// </summary>
internal sealed class SubscriberProcess : IDisposable
{
    private readonly Process _process;

    public int[] Ports { get; }

    /// <summary>The child's process id (the memory trial stops and continues it).</summary>
    public int ProcessId => _process.Id;

    private SubscriberProcess(Process process, int[] ports)
    {
        _process = process;
        Ports = ports;
    }

    public static async Task<SubscriberProcess> StartAsync(string system, int arg, SharedCounters counters, bool latency)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        // Under `dotnet Spillway.Bench.dll` the process path is the dotnet host: pass the dll too.
        if (string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(SubscriberProcess).Assembly.Location);
        foreach (var a in new[] { "quick-child", system, arg.ToString(CultureInfo.InvariantCulture), counters.Path }) start.ArgumentList.Add(a);
        if (latency) start.ArgumentList.Add("latency");
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the subscriber process");
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (ready is null || !ready.StartsWith("READY ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"subscriber process for {system} did not start: {ready ?? "(exited)"}");
        }
        var ports = ready["READY ".Length..].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new SubscriberProcess(process, ports);
    }

    /// <summary>"count p50 p99 p99.9 max" (microseconds) from the child's recorder.</summary>
    public string Latency()
    {
        _process.StandardInput.WriteLine("latency");
        _process.StandardInput.Flush();
        return _process.StandardOutput.ReadLine() ?? "0 0 0 0 0";
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Flush();
        }
        catch (IOException) { }
        if (!_process.WaitForExit(10_000)) _process.Kill();
        _process.Dispose();
    }

    // ---- the child -------------------------------------------------------------------------------

    public static async Task<int> RunChildAsync(string[] args)
    {
        var system = args[0];
        var arg = int.Parse(args[1], CultureInfo.InvariantCulture);
        using var counters = SharedCounters.Open(args[2]);
        var recorder = args.Length > 3 && args[3] == "latency" ? new LatencyRecorder(counters) : null;
        IAsyncDisposable owner;
        int[] ports;
        switch (system)
        {
            case "spillway": (owner, ports) = SpillwayPeer.StartReceivers(arg, counters, recorder); break;
            case "spillway-tls": (owner, ports) = SpillwayPeer.StartReceivers(arg, counters, recorder, BenchCertificates.Load(counters.Path)); break;
            case "nats": owner = await NatsPeer.StartSubscriberAsync(arg, counters, recorder); ports = [arg]; break;
            case "redis": owner = await RedisPeer.StartSubscriberAsync(arg, counters); ports = [arg]; break;
            case "sink": { (owner, var port) = RawTcp.StartSink(counters); ports = [port]; break; }
            case "echo": { (owner, var port) = RawTcp.StartEcho(); ports = [port]; break; }
            case "wsnode": (owner, ports) = await SpillwayPeer.StartWebSocketNodeAsync(); break;
            default: Console.Error.WriteLine($"unknown system {system}"); return 2;
        }
        await using (owner)
        {
            Console.Out.WriteLine("READY " + string.Join(',', ports));
            Console.Out.Flush();
            string? line;
            while ((line = Console.In.ReadLine()) is not null && line != "quit")
            {
                if (line == "latency")
                {
                    Console.Out.WriteLine(recorder?.Summary() ?? "0 0 0 0 0");
                    Console.Out.Flush();
                }
            }
        }
        return 0;
    }
}
