using System.Diagnostics;
using System.Globalization;

namespace Spillway.EndToEnd.Tests.Faults;

/// <summary>
/// Two network namespaces of our own joined by one veth pair: <c>spw-&lt;pid&gt;-&lt;n&gt;-a</c> holding
/// <see cref="AddressA"/> and <c>…-b</c> holding <see cref="AddressB"/>. The addresses exist only inside these
/// namespaces, so nothing leaves the machine. Taking one end of the veth down is a silent partition: no FIN and
/// no RST reaches either side. Disposing deletes both namespaces (and with them the veth pair); namespaces left
/// behind by a test run that was killed are deleted when the next run creates its own. Needs root and iproute2.
/// </summary>
public sealed class NamespacePair : IAsyncDisposable
{
    public const string AddressA = "10.77.0.1";
    public const string AddressB = "10.77.0.2";
    private const string Prefix = "spw-";
    private static int _sequence;
    private bool _disposed;

    private NamespacePair(string a, string b, string vethA, string vethB)
    {
        A = a;
        B = b;
        VethA = vethA;
        VethB = vethB;
    }

    public string A { get; }
    public string B { get; }
    public string VethA { get; }
    public string VethB { get; }

    public static async Task<NamespacePair> CreateAsync()
    {
        await RemoveLeftoversAsync();
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var n = Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
        // Interface names are at most 15 characters.
        var pair = new NamespacePair($"{Prefix}{pid}-{n}-a", $"{Prefix}{pid}-{n}-b", $"spw{pid}v{n}a", $"spw{pid}v{n}b");
        try
        {
            await IpAsync("netns", "add", pair.A);
            await IpAsync("netns", "add", pair.B);
            await IpAsync("link", "add", pair.VethA, "netns", pair.A, "type", "veth", "peer", "name", pair.VethB, "netns", pair.B);
            await IpAsync("-n", pair.A, "addr", "add", AddressA + "/24", "dev", pair.VethA);
            await IpAsync("-n", pair.B, "addr", "add", AddressB + "/24", "dev", pair.VethB);
            foreach (var (ns, dev) in new[] { (pair.A, pair.VethA), (pair.B, pair.VethB) })
            {
                await IpAsync("-n", ns, "link", "set", "lo", "up");
                await IpAsync("-n", ns, "link", "set", dev, "up");
            }
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>Cuts the link: A's end goes down, B's end loses its carrier; packets in flight and after are lost.</summary>
    public Task CutAsync() => IpAsync("-n", A, "link", "set", VethA, "down");

    /// <summary>Restores the link (the kernel re-adds the connected routes).</summary>
    public Task RestoreAsync() => IpAsync("-n", A, "link", "set", VethA, "up");

    /// <summary>Limits what leaves A towards B to a token bucket: <c>tc qdisc add dev vethA root tbf rate …</c>.</summary>
    public Task LimitAToBAsync(string rate) =>
        RunAsync("ip", "netns", "exec", A, "tc", "qdisc", "add", "dev", VethA, "root", "tbf", "rate", rate, "burst", "16kb", "latency", "200ms");

    public static Task IpAsync(params string[] args) => RunAsync("ip", args);

    private static async Task<string> RunAsync(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{tool}' could not be run ({e.Message}). The network-namespace tests need iproute2 (ip, tc) and root: apt-get install iproute2", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
                throw new InvalidOperationException(
                    $"'{tool} {string.Join(' ', args)}' failed with exit code {process.ExitCode}: {(await stderr).Trim()}" +
                    " (the network-namespace tests need root and iproute2 with tc)");
            return await stdout;
        }
    }

    /// <summary>Deletes namespaces named by this fixture whose test process no longer exists.</summary>
    private static async Task RemoveLeftoversAsync()
    {
        var list = await RunAsync("ip", "netns", "list");
        foreach (var line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (!name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var parts = name.Split('-');
            if (parts.Length != 4 || !int.TryParse(parts[1], out var pid) || pid == Environment.ProcessId) continue;
            if (Directory.Exists($"/proc/{pid}")) continue; // another live test run owns it
            try { await IpAsync("netns", "del", name); } catch (InvalidOperationException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var ns in new[] { A, B })
        {
            try { await IpAsync("netns", "del", ns); }
            catch (InvalidOperationException e) { Console.Error.WriteLine($"Spillway.EndToEnd.Tests: {e.Message}"); }
        }
    }
}
