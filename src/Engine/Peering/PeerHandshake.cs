using System.Net.Sockets;
using Spillway.Engine.Data;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Peering;

/// <summary>
/// Turns a fresh TCP connection into the parts of a peering: socket settings, the transport step (plain
/// <see cref="NetworkStream"/> or mutual TLS, at <see cref="OpenTransportAsync"/>),
/// then the hello exchange, all bounded by <see cref="EndpointOptions.HandshakeTimeout"/>. It registers
/// nothing: the endpoint decides whether the remote may join.
/// </summary>
internal sealed class PeerHandshake(EndpointId localId, EndpointOptions options, TimeProvider timeProvider)
{
    /// <summary>The established connection: its stream, a frame reader over it and the remote's hello.</summary>
    public readonly record struct Result(Stream Stream, FrameReader Reader, HelloFrame Remote, PeerIdentity? Identity);

    /// <summary>
    /// Runs the handshake; <paramref name="hello"/> is called once, just before sending, for the frame to
    /// send. Throws <see cref="PeerHandshakeException"/> (or the transport's own exception) on failure;
    /// the caller disposes the socket.
    /// </summary>
    public async Task<Result> RunAsync(Socket socket, PeeringDirection direction, string? targetHost, Func<byte[]> hello, CancellationToken cancellationToken)
    {
        ConfigureSocket(socket);
        using var timeout = new CancellationTokenSource(options.HandshakeTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        Stream? stream = null;
        try
        {
            PeerIdentity? identity;
            (stream, identity) = await OpenTransportAsync(socket, direction, targetHost, linked.Token).ConfigureAwait(false);
                        // Until the remote has said hello it is a stranger: its frames get the small handshake budget.
            var reader = new FrameReader(stream, Math.Min(options.HandshakeMaxBytes, options.MaxFrameSize), RefusalReason.HandshakeBytes);
            await stream.WriteAsync(hello(), linked.Token).ConfigureAwait(false);
            var remote = await ReadHelloAsync(reader, linked.Token).ConfigureAwait(false);
            if (remote.EndpointId == localId)
                throw new PeerHandshakeException(CloseReason.HandshakeRefused, "the remote is this endpoint itself");
            if (remote.Subscriptions.Count > options.MaxSubscriptions)
                throw new BudgetExceededException(RefusalReason.Subscriptions,
                    $"hello subscribes to {remote.Subscriptions.Count} topic prefixes, more than the maximum of {options.MaxSubscriptions}");
            reader.SetMaxFrameSize(options.MaxFrameSize, RefusalReason.FrameSize);
            return new Result(stream, reader, remote, identity);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            stream?.Dispose();
            throw new PeerHandshakeException(CloseReason.HandshakeTimeout,
                $"handshake not completed within {options.HandshakeTimeout.TotalSeconds:0.###} s");
        }
        catch (WireFormatException e)
        {
            stream?.Dispose();
            throw new PeerHandshakeException(CloseReason.HandshakeRefused, e.Message, e);
        }
        catch (System.Security.Authentication.AuthenticationException e)
        {
            stream?.Dispose();
            throw new PeerHandshakeException(CloseReason.AuthenticationFailed, e.Message, e);
        }
        catch
        {
            stream?.Dispose();
            throw;
        }
    }

    private void ConfigureSocket(Socket socket)
    {
        socket.NoDelay = true;
        if (options.SocketBufferBytes > 0)
        {
            socket.SendBufferSize = options.SocketBufferBytes;
            // Never pin the receive buffer below a few segments: a receive window smaller than one
            // segment (64 KiB on loopback) leaves TCP in zero-window probing with exponential backoff,
            // and the peering stalls for seconds at a time.
            socket.ReceiveBufferSize = Math.Max(options.SocketBufferBytes, EndpointOptions.MinimumReceiveBufferBytes);
        }
    }

    /// <summary>
    /// The step between the socket and the protocol: everything after it (hello, frames) reads and writes
    /// the returned stream. With <see cref="EndpointOptions.Tls"/> set, mutual TLS 1.3 against the cluster
    /// CA, yielding the names the remote's verified certificate holds; without it, the socket's own stream.
    /// </summary>
    private ValueTask<(Stream, PeerIdentity?)> OpenTransportAsync(Socket socket, PeeringDirection direction, string? targetHost,
        CancellationToken cancellationToken) =>
        new(PeerTlsHandshake.WrapAsync(socket, direction, targetHost, options.Tls, cancellationToken));

    private static async Task<HelloFrame> ReadHelloAsync(FrameReader reader, CancellationToken token)
    {
        while (true)
        {
            if (reader.TryReadFrame(out var type, out var body))
            {
                if (type != FrameType.Hello) throw new WireFormatException($"expected a hello frame first, got frame type {(byte)type}");
                return FrameCodec.DecodeHello(body);
            }
            if (!await reader.FillAsync(int.MaxValue, token).ConfigureAwait(false))
                throw new IOException("connection closed during the handshake");
        }
    }
}
