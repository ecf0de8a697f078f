using System.Diagnostics;
using System.Globalization;

namespace Spillway.Bench.Quick;

/// <summary>
/// The CPU a trial's processes used over its measured window, per delivered message, and how busy the machine's cores
/// were meanwhile. On a machine whose cores are all busy, two systems' rates stand in the inverse ratio of their CPU per
/// message; where cores sat idle, a system waited on something other than CPU. Process times come from the kernel's
/// per-process accounting (<see cref="Process.TotalProcessorTime"/>, /proc/PID/stat, 10 ms ticks), the machine's from
/// the first line of /proc/stat; over a 3 s window both are exact to well under 1%.
/// </summary>
internal sealed class CpuMeter
{
    private readonly (string Role, Process Process)[] _processes;
    private TimeSpan[] _start = [];
    private (long Busy, long Total) _machineStart;

    /// <param name="processes">Each process by its role in the trial; a pid of 0 (a system without a server) is left out.</param>
    public CpuMeter(params (string Role, int Pid)[] processes) =>
        _processes = [.. processes.Where(p => p.Pid != 0).Select(p => (p.Role, Process.GetProcessById(p.Pid)))];

    public void Start()
    {
        _start = [.. _processes.Select(p => p.Process.TotalProcessorTime)];
        _machineStart = Machine();
    }

    /// <summary>CPU per unit of work (a delivered message, or a chunk of bytes) since <see cref="Start"/>.</summary>
    public CpuUse Stop(double units)
    {
        var parts = _processes.Select((p, i) => (p.Role, (p.Process.TotalProcessorTime - _start[i]).TotalNanoseconds / Math.Max(1, units))).ToArray();
        var (busy, total) = Machine();
        var busyCores = total == _machineStart.Total ? double.NaN : (double)(busy - _machineStart.Busy) / (total - _machineStart.Total) * Environment.ProcessorCount;
        foreach (var (_, process) in _processes) process.Dispose();
        return new CpuUse(parts, busyCores);
    }

    /// <summary>Jiffies the cores spent busy and in all, from the aggregate "cpu" line of /proc/stat (idle and iowait are not busy).</summary>
    private static (long Busy, long Total) Machine()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // user nice system idle iowait irq softirq steal (guest time is already inside user)
            var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = ticks.Sum();
            return (total - ticks[3] - ticks[4], total);
        }
        catch (IOException) { return (0, 0); }
    }
}

/// <summary>CPU nanoseconds per unit of work for each process of a trial, and the machine's busy cores over the window.</summary>
internal sealed record CpuUse(IReadOnlyList<(string Role, double Nanos)> Parts, double BusyCores)
{
    public double TotalNanos => Parts.Sum(p => p.Nanos);

    /// <summary>"publisher 120 + subscriber 180 ns; 1.96 of 2 cores busy"</summary>
    public string Describe() =>
        $"{string.Join(" + ", Parts.Select(p => $"{p.Role} {Stats.F(p.Nanos, 0)}"))} ns; {Stats.F(BusyCores, 2)} of {Environment.ProcessorCount} cores busy";
}
