using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Tests.Peering;

/// <summary>Hostile or broken remotes over real sockets: each loses only its own connection.</summary>
/// <remarks>
/// The node's clock is a <see cref="FakeTimeProvider"/>: its short handshake timeout fires only when a test moves the
/// clock, so a legitimate handshake is never cut off because the machine is busy.
/// </remarks>
public class BadInputTests : IAsyncLifetime
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromMilliseconds(500);
    private readonly RecordingLoggerProvider _logs = new();
    private readonly FakeTimeProvider _time = new();
    private SpillwayEndpoint _node = null!;
    private SpillwayEndpoint _goodPeer = null!;
    private PeerEvents _events = null!;
    private int _port;
    private readonly List<string> _goodDeliveries = new();

    public async Task InitializeAsync()
    {
        _node = new SpillwayEndpoint(new EndpointOptions { HandshakeTimeout = HandshakeTimeout, MaxFrameSize = 1024 },
            _logs.CreateFactory(), _time);
        _node.Subscribe("t/", (topic, _) => { lock (_goodDeliveries) _goodDeliveries.Add(topic); });
        _events = new PeerEvents(_node);
        _port = _node.Listen(IPAddress.Loopback, 0);
        _goodPeer = new SpillwayEndpoint();
        _goodPeer.Peer("127.0.0.1", _port);
        await _events.WaitForAsync("added");
    }

    public async Task DisposeAsync()
    {
        await _goodPeer.DisposeAsync();
        await _node.DisposeAsync();
    }

    /// <summary>The node still serves its good peering after the bad one is gone.</summary>
    private async Task AssertGoodPeeringStillWorksAsync(string marker)
    {
        Assert.Equal(1, _goodPeer.Publish("t/" + marker, Value.Of(1L)));
        await Eventually.HoldsAsync(() => { lock (_goodDeliveries) return _goodDeliveries.Contains("t/" + marker); },
            () => "the good peer's message did not arrive");
        Assert.Contains(_node.Peers, p => p.EndpointId == _goodPeer.Id);
    }

    private async Task<Socket> ConnectRawAsync(bool sendHello, ushort version = FrameCodec.ProtocolVersion)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _port);
        if (sendHello)
        {
            var hello = FrameCodec.EncodeHello(EndpointId.NewRandom(), ["t/"]);
            if (version != FrameCodec.ProtocolVersion) BinaryPrimitives.WriteUInt16BigEndian(hello.AsSpan(4 + 1 + 4), version);
            await socket.SendAsync(hello);
        }
        return socket;
    }

    /// <summary>Reads until the server closes the connection; fails if it stays open.</summary>
    private static async Task AssertClosedByServerAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Eventually.DefaultTimeoutSeconds));
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0) { }
        }
        catch (SocketException) { } // reset by the server also counts as closed
        catch (OperationCanceledException) { Assert.Fail("the server kept the bad connection open"); }
    }

    private static byte[] Frame(byte type, ReadOnlySpan<byte> body)
    {
        var frame = new byte[5 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(1 + body.Length));
        frame[4] = type;
        body.CopyTo(frame.AsSpan(5));
        return frame;
    }

    [Fact]
    public async Task Garbage_instead_of_a_hello_closes_only_that_connection()
    {
        using var socket = await ConnectRawAsync(sendHello: false);
        await socket.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        await AssertClosedByServerAsync(socket);
        await Eventually.HoldsAsync(() => _logs.Lines.Any(l => l.Contains("Rejected connection") && l.Contains("frame")),
            () => string.Join("\n", _logs.Lines));
        await AssertGoodPeeringStillWorksAsync("after-garbage");
    }

    [Fact]
    public async Task An_unknown_protocol_version_is_rejected_with_a_logged_reason()
    {
        using var socket = await ConnectRawAsync(sendHello: true, version: 99);
        await AssertClosedByServerAsync(socket);
        await Eventually.HoldsAsync(() => _logs.Lines.Any(l => l.Contains("unsupported protocol version 99")),
            () => string.Join("\n", _logs.Lines));
        await AssertGoodPeeringStillWorksAsync("after-version");
    }

    [Fact]
    public async Task Malformed_data_after_a_good_hello_removes_that_peering_with_the_reason()
    {
        using var socket = await ConnectRawAsync(sendHello: true);
        await _events.WaitForAsync("added", 2);
        // A data frame: topic "t/x" then value tag 0x2a, which does not exist.
        await socket.SendAsync(Frame((byte)FrameType.Data, [3, (byte)'t', (byte)'/', (byte)'x', 0x2a]));
        await AssertClosedByServerAsync(socket);
        var removed = await _events.WaitForAsync("removed");
        Assert.Equal(CloseReason.MalformedInput, removed.Reason);
        Assert.StartsWith("malformed input:", removed.Detail);
        Assert.Contains("0x2a", removed.Detail);
        Assert.Contains(_logs.Lines, l => l.Contains("Removed peering") && l.Contains("malformed input"));
        await AssertGoodPeeringStillWorksAsync("after-malformed");
    }

    [Fact]
    public async Task An_oversized_frame_removes_that_peering()
    {
        using var socket = await ConnectRawAsync(sendHello: true);
        await _events.WaitForAsync("added", 2);
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header, 4096); // the node's maximum is 1024
        header[4] = (byte)FrameType.Data;
        await socket.SendAsync(header);
        await AssertClosedByServerAsync(socket);
        var removed = await _events.WaitForAsync("removed");
        Assert.Equal(CloseReason.BudgetExceeded, removed.Reason);
        Assert.Contains("exceeds the maximum frame size of 1024 bytes", removed.Detail);
        await AssertGoodPeeringStillWorksAsync("after-oversized");
    }

    [Fact]
    public async Task Values_nested_deeper_than_the_limit_remove_that_peering()
    {
        using var socket = await ConnectRawAsync(sendHello: true);
        await _events.WaitForAsync("added", 2);
        var body = new List<byte> { 3, (byte)'t', (byte)'/', (byte)'d' };
        for (var i = 0; i < ValueCodec.MaxNestingDepth + 1; i++) body.AddRange([(byte)ValueKind.Vector, 1]);
        body.Add((byte)ValueKind.None);
        await socket.SendAsync(Frame((byte)FrameType.Data, body.ToArray()));
        await AssertClosedByServerAsync(socket);
        var removed = await _events.WaitForAsync("removed");
        Assert.Equal(CloseReason.MalformedInput, removed.Reason);
        Assert.Contains("nest", removed.Detail);
        await AssertGoodPeeringStillWorksAsync("after-deep");
    }

    [Fact]
    public async Task An_unknown_frame_type_removes_that_peering()
    {
        using var socket = await ConnectRawAsync(sendHello: true);
        await _events.WaitForAsync("added", 2);
        await socket.SendAsync(Frame(77, [1, 2, 3]));
        await AssertClosedByServerAsync(socket);
        var removed = await _events.WaitForAsync("removed");
        Assert.Equal(CloseReason.MalformedInput, removed.Reason);
        Assert.Equal("malformed input: unknown frame type 77", removed.Detail);
        await AssertGoodPeeringStillWorksAsync("after-type");
    }

    [Fact]
    public async Task A_silent_connection_is_closed_after_the_handshake_timeout()
    {
        using var socket = await ConnectRawAsync(sendHello: false);
        // The node starts timing the handshake once it has accepted the connection, which the test cannot see:
        // move the clock past the timeout until the node closes the connection.
        var closed = AssertClosedByServerAsync(socket);
        await Eventually.HoldsAsync(() =>
        {
            if (closed.IsCompleted) return true;
            _time.Advance(HandshakeTimeout);
            return false;
        }, () => "the node kept the silent connection open");
        await closed;
        await Eventually.HoldsAsync(() => _logs.Lines.Any(l => l.Contains("handshake not completed within 0.5 s")),
            () => string.Join("\n", _logs.Lines));
        Assert.Single(_node.Peers);
        await AssertGoodPeeringStillWorksAsync("after-silence");
    }
}
