using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Spillway.Bench.Quick;

/// <summary>
/// A nats-server or redis-server started on a free loopback port with persistence off, stopped (and
/// waited for) on dispose. The binaries come from the Debian packages (bench/run.sh installs them).
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    public string Name { get; }
    public int Port { get; }
    public int ProcessId => _process.Id;
    public string Version { get; }

    private ServerProcess(string name, Process process, int port, string version)
    {
        Name = name;
        _process = process;
        Port = port;
        Version = version;
    }

    public static ServerProcess StartNats()
    {
        var binary = Find("nats-server");
        var port = FreePort();
        // No JetStream (core pub/sub only), no monitoring port.
        return Start("nats-server", binary, ["-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], port,
            Capture(binary, "--version"));
    }

    public static ServerProcess StartRedis()
    {
        var binary = Find("redis-server");
        var port = FreePort();
        // Persistence off: no RDB snapshots, no AOF. Output-buffer limits stay at their defaults
        // (pubsub 32mb hard / 8mb for 60 s), so a subscriber that falls behind is dropped and counted.
        return Start("redis-server", binary,
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning"],
            port, Capture(binary, "--version"));
    }

    private static ServerProcess Start(string name, string binary, string[] args, int port, string version)
    {
        var info = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {binary}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{name} exited with code {process.ExitCode} during start-up");
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                Thread.Sleep(50);
            }
        }
        return new ServerProcess(name, process, port, version);
    }

    private static string Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/bin", "/sbin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException($"{name} not found; bench/run.sh installs it (apt-get install {name})");
    }

    private static string Capture(string binary, string arg)
    {
        using var p = Process.Start(new ProcessStartInfo(binary, arg) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return text;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }
}
