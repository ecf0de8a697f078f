using System.Diagnostics;
using System.Globalization;
using System.Net;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;

namespace Spillway.Bench.Quick;

internal sealed record PeeringMemoryResult(string Case, int Peerings, double IdleBytesPerPeering, double? FullBytesPerPeering,
    double QueuedPerPeering, double QueuedBytesPerPeering)
{
    /// <summary>Measurements it took (see <see cref="PeeringMemory.MeasureAsync"/>).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>False when the heap shrank during the measurement: the baseline, not the peerings, was off.</summary>
    public bool Plausible => IdleBytesPerPeering > 0 && FullBytesPerPeering is not <= 0;
}

/// <summary>
/// Managed heap of the publishing process per peering, idle and with its send buffer at its bound. Every peering has
/// its own publishing endpoint (so each holds its own messages, the worst case: fan-out would share one message between
/// peerings; queued messages hold their values until written, docs/design.md §11), all peered with
/// receivers in a second process. "Full": the receiving process is stopped (SIGSTOP), the
/// publishers publish until each drop_newest buffer refuses pushes and is still at its message or byte bound after a
/// pause (so the kernel's socket buffers are full too: that memory is the kernel's, not counted here), then the heap is measured after a forced GC and the process continued.
/// The frames the drain loop already took out of the buffer for its current socket write (at most
/// <see cref="EndpointOptions.DrainBatchBytes"/>) are counted as well: they are part of what a stalled peering holds.
/// </summary>
internal static class PeeringMemory
{
    /// <summary>Peerings measured full: each holds its buffer's bound (up to 8.5 MB at 1 KiB), so few.</summary>
    public const int FullPeerings = 4;

    /// <summary>
    /// Peerings measured idle: a few kilobytes each, so many, or the heap's own movement between two forced GCs (a
    /// few kilobytes) is a third of the figure (4 peerings read 6.7 to 10.8 kB each for the same code).
    /// </summary>
    public const int IdlePeerings = 32;
    private const long RefusalsWhenFull = 1000;

    private const int MaxAttempts = 3;

    /// <summary>
    /// <see cref="MeasureOnceAsync"/>, again (at most <see cref="MaxAttempts"/> times in all) while the heap shrank under
    /// it: memory an earlier trial left behind (pooled buffers trimmed later, objects waiting for finalizers) can be
    /// released between the baseline and the measurement, and a peering cannot take less than nothing.
    /// </summary>
    public static async Task<PeeringMemoryResult> MeasureAsync(string name, int capacity, long maxBytes, int payload, bool fill)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await MeasureOnceAsync(name, capacity, maxBytes, payload, fill) with { Attempts = attempt };
            if (result.Plausible || attempt == MaxAttempts) return result;
        }
    }

    private static async Task<PeeringMemoryResult> MeasureOnceAsync(string name, int capacity, long maxBytes, int payload, bool fill)
    {
        using var counters = SharedCounters.Create();
        var peerings = fill ? FullPeerings : IdlePeerings;
        using var child = await SubscriberProcess.StartAsync("spillway", peerings, counters, latency: false);
        // A stopped receiver sends no heartbeats: keep the peerings up for the few seconds of the measurement.
        var options = new EndpointOptions
        {
            PeerBufferSize = capacity,
            PeerBufferBytes = maxBytes,
            PeerOverflowPolicy = OverflowPolicy.DropNewest,
            HeartbeatTimeout = TimeSpan.FromMinutes(5),
        };
        var endpoints = new List<SpillwayEndpoint>();
        for (var i = 0; i < peerings; i++) endpoints.Add(new SpillwayEndpoint(options));
        try
        {
            var heap0 = GC.GetTotalMemory(forceFullCollection: true);
            var peers = new EndpointId[peerings];
            for (var i = 0; i < peerings; i++) peers[i] = await PeerAsync(endpoints[i], child.Ports[i]);
            await Task.Delay(200); // hellos exchanged, drain loops parked
            var idle = (double)(GC.GetTotalMemory(forceFullCollection: true) - heap0) / peerings;
            if (!fill) return new PeeringMemoryResult(name, peerings, idle, null, 0, 0);

            Signal("STOP", child.ProcessId);
            try
            {
                var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
                var frame = SpillwayPeer.FrameSize(payload);
                for (var i = 0; i < peerings; i++)
                {
                    // Full = still at its bound after a pause without publishing: while the kernel's socket buffers
                    // (several MiB on loopback) still take data, the drain loop empties the buffer again.
                    while (true)
                    {
                        var refused = Stats(endpoints[i], peers[i]).Overflows;
                        while (Stats(endpoints[i], peers[i]).Overflows < refused + RefusalsWhenFull)
                        {
                            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"{name}: peering {i} never filled its buffer");
                            // A new value per message, as real traffic has: a publish that reaches one peering
                            // queues the value itself until written, so one value published over and over would
                            // make a full buffer look nearly free.
                            for (var k = 0; k < 256; k++) endpoints[i].Publish(SpillwayPeer.Topic, Value.Of(new string('x', payload)));
                        }
                        await Task.Delay(100);
                        var row = Stats(endpoints[i], peers[i]);
                        if (row.Queued == capacity || row.QueuedBytes + frame > maxBytes) break;
                    }
                }
                var full = (double)(GC.GetTotalMemory(forceFullCollection: true) - heap0) / peerings;
                var rows = endpoints.Select((e, i) => Stats(e, peers[i])).ToList();
                return new PeeringMemoryResult(name, peerings, idle, full, rows.Average(r => r.Queued), rows.Average(r => (double)r.QueuedBytes));
            }
            finally { Signal("CONT", child.ProcessId); }
        }
        finally
        {
            foreach (var e in endpoints) await e.DisposeAsync();
        }
    }

    private static PeeringStats Stats(SpillwayEndpoint endpoint, EndpointId peer) =>
        endpoint.TryGetPeeringStats(peer, out var row) ? row : throw new InvalidOperationException("the peering was lost while its buffer filled");

    private static async Task<EndpointId> PeerAsync(SpillwayEndpoint endpoint, int port)
    {
        var added = new TaskCompletionSource<EndpointId>(TaskCreationOptions.RunContinuationsAsynchronously);
        endpoint.PeerAdded += (_, e) => added.TrySetResult(e.Peer.EndpointId);
        endpoint.Peer(IPAddress.Loopback.ToString(), port);
        return await added.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>kill -STOP / -CONT: the receiving process stops reading without closing anything.</summary>
    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not run kill");
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {pid} exited with {kill.ExitCode}");
    }
}
