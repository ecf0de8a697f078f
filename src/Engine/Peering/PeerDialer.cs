using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Spillway.Engine.Peering;

/// <summary>
/// The initiating side of one configured peering: dials, and after every failed attempt, lost peering
/// or removed peering waits the retry interval and dials again, until <see cref="Stop"/>.
/// </summary>
internal sealed class PeerDialer
{
    private readonly SpillwayEndpoint _endpoint;
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private PeerConnection? _current;

    public PeerDialer(SpillwayEndpoint endpoint, string host, int port, ILogger logger)
    {
        _endpoint = endpoint;
        Host = host;
        Port = port;
        _logger = logger;
    }

    public string Host { get; }
    public int Port { get; }

    public void Start() => _ = Task.Run(RunAsync);

    /// <summary>Stops dialing and removes the current peering, if any, with <paramref name="reason"/>.</summary>
    public void Stop(CloseReason reason, string detail)
    {
        _stop.Cancel();
        Volatile.Read(ref _current)?.Close(reason, detail);
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        var options = _endpoint.Options;
        var failuresInARow = 0;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    // Bounded: across a partition the kernel retries a SYN for minutes, and the link may be back long before.
                    using var connectTimeout = new CancellationTokenSource(options.HandshakeTimeout, _endpoint.TimeProvider);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, connectTimeout.Token);
                    try
                    {
                        await socket.ConnectAsync(Host, Port, linked.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (connectTimeout.IsCancellationRequested && !token.IsCancellationRequested)
                    {
                        throw new TimeoutException($"no answer within {options.HandshakeTimeout.TotalSeconds:0.###} s");
                    }
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                var peering = await _endpoint.ConnectAsync(socket, PeeringDirection.Initiated, token, targetHost: Host).ConfigureAwait(false);
                if (peering is not null)
                {
                    failuresInARow = 0;
                    Volatile.Write(ref _current, peering);
                    if (token.IsCancellationRequested) peering.Close(CloseReason.Unpeered, "unpeered");
                    await peering.Closed.ConfigureAwait(false);
                    Volatile.Write(ref _current, null);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The first failure of a streak is worth an operator's attention; the retries are not.
                var level = failuresInARow++ == 0 ? LogLevel.Warning : LogLevel.Debug;
                _logger.Log(level, "Could not peer with {Host}:{Port}: {Reason}; retrying every {Retry}",
                    Host, Port, e.Message, options.RetryInterval);
            }
            try
            {
                await Task.Delay(options.RetryInterval, _endpoint.TimeProvider, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
