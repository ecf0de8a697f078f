using System.Net;
using System.Net.Sockets;

namespace Spillway.Tests.Shared;

/// <summary>
/// A TCP server on 127.0.0.1 (a free port) that accepts every connection, reads and discards what arrives and never
/// answers: a peer that hangs forever. Tests of timeouts use it so that "no answer" stays true however long the
/// test's generous bound is. <see cref="Accepted"/> lets a test wait for the moment a client is stuck on it.
/// </summary>
internal sealed class SilentServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _acceptLoop;
    private int _connections;

    public SilentServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:port/path, for HTTP clients that should hang.</summary>
    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Completes when the first connection has been accepted.</summary>
    public Task Accepted => _accepted.Task;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_clients) _clients.Add(client);
                Interlocked.Increment(ref _connections);
                _accepted.TrySetResult();
                _ = DiscardAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
        catch (InvalidOperationException) when (_stop.IsCancellationRequested)
        {
            // Stopped between two accepts: the loop came back to accept after DisposeAsync stopped the listener,
            // and TcpListener says "Not listening" instead of cancelling (seen in 2 of 10 runs under a CPU hog).
        }
    }

    private async Task DiscardAsync(TcpClient client)
    {
        var buffer = new byte[4096];
        try
        {
            var stream = client.GetStream();
            while (await stream.ReadAsync(buffer, _stop.Token) > 0) { }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client gave up, or the server stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        lock (_clients)
        {
            foreach (var client in _clients) client.Dispose();
            _clients.Clear();
        }
        _stop.Dispose();
    }
}
