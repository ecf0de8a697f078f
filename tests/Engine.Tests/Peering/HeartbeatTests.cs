using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Tests.Peering;

/// <summary>Heartbeats over real sockets, with time driven by a <see cref="FakeTimeProvider"/> (defaults: 1 s interval, 4 s timeout).</summary>
public class HeartbeatTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_silent_remote_is_lost_with_heartbeat_timeout_exactly_when_the_timeout_passes()
    {
        var logs = new RecordingLoggerProvider();
        var time = new FakeTimeProvider();
        await using var node = new SpillwayEndpoint(new EndpointOptions(), logs.CreateFactory(), time);
        var events = new PeerEvents(node);
        var port = node.Listen(IPAddress.Loopback, 0);

        // A remote that completes the hello and then says nothing, ever.
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await socket.SendAsync(FrameCodec.EncodeHello(EndpointId.NewRandom(), []));
        await events.WaitForAsync("added");
        var received = new ReceivedBytes(socket);
        received.TakeExactly(FrameCodec.EncodeHello(node.Id, []).Length); // the node's hello

        for (var i = 1; i <= 3; i++)
        {
            time.Advance(Second);
            Assert.Single(node.Peers); // silent for i s < 4 s: still peered
            // The node itself had nothing to send, so each tick sent one heartbeat: 00 00 00 01 04.
            Assert.Equal(FrameCodec.Heartbeat, received.TakeExactly(5));
        }
        time.Advance(Second);
        Assert.Empty(node.Peers);
        var lost = await events.WaitForAsync("lost");
        Assert.Equal(CloseReason.HeartbeatTimeout, lost.Reason);
        Assert.Equal("heartbeat timeout (nothing received for 4 s)", lost.Detail);
        Assert.Contains(logs.Lines, l => l.Contains("Lost peering") && l.Contains("heartbeat timeout"));
        Assert.DoesNotContain(events.All, e => e.Kind == "removed");
    }

    [Fact]
    public async Task Idle_peers_exchange_one_heartbeat_per_interval_and_stay_peered_past_the_timeout()
    {
        var timeA = new FakeTimeProvider();
        var timeB = new FakeTimeProvider();
        await using var a = new SpillwayEndpoint(new EndpointOptions(), timeProvider: timeA);
        await using var b = new SpillwayEndpoint(new EndpointOptions(), timeProvider: timeB);
        var eventsA = new PeerEvents(a);
        var eventsB = new PeerEvents(b);
        b.Peer("127.0.0.1", a.Listen(IPAddress.Loopback, 0));
        await eventsA.WaitForAsync("added");
        await eventsB.WaitForAsync("added");

        for (var i = 1; i <= 10; i++)
        {
            timeA.Advance(Second);
            timeB.Advance(Second);
            var expected = i;
            await Eventually.HoldsAsync(() => a.HeartbeatsReceivedFrom(b.Id) == expected && b.HeartbeatsReceivedFrom(a.Id) == expected,
                () => $"after {expected} s: a heard {a.HeartbeatsReceivedFrom(b.Id)}, b heard {b.HeartbeatsReceivedFrom(a.Id)} heartbeats");
        }
        Assert.Single(a.Peers);
        Assert.Single(b.Peers);
        Assert.DoesNotContain(eventsA.All.Concat(eventsB.All), e => e.Kind != "added");
    }

    [Fact]
    public async Task A_busy_peering_sends_no_heartbeats_its_messages_are_the_liveness()
    {
        var timeA = new FakeTimeProvider();
        var timeB = new FakeTimeProvider();
        await using var a = new SpillwayEndpoint(new EndpointOptions(), timeProvider: timeA);
        await using var b = new SpillwayEndpoint(new EndpointOptions(), timeProvider: timeB);
        var delivered = 0;
        a.Subscribe("t/", (_, _) => Interlocked.Increment(ref delivered));
        var eventsA = new PeerEvents(a);
        b.Peer("127.0.0.1", a.Listen(IPAddress.Loopback, 0));
        await eventsA.WaitForAsync("added");
        await Eventually.HoldsAsync(() => b.Peers.Count == 1 && b.Peers[0].EndpointId == a.Id, () => "b not peered");
        await Eventually.HoldsAsync(() => b.Publish("t/warmup", Value.Of(0L)) == 1, () => "b does not see a's subscription");
        await Eventually.HoldsAsync(() => Volatile.Read(ref delivered) >= 1, () => "warm-up message not delivered");
        var before = Volatile.Read(ref delivered);

        for (var i = 1; i <= 8; i++)
        {
            Assert.Equal(1, b.Publish("t/x", Value.Of((long)i)));
            var expected = before + i;
            await Eventually.HoldsAsync(() => Volatile.Read(ref delivered) == expected, () => $"message {expected} not delivered");
            timeA.Advance(Second);
            timeB.Advance(Second);
        }
        Assert.Equal(0, a.HeartbeatsReceivedFrom(b.Id)); // b always had data to send
        Assert.Single(a.Peers);
        Assert.DoesNotContain(eventsA.All, e => e.Kind != "added");
    }

    [Fact]
    public async Task A_heartbeat_with_a_body_is_malformed_input()
    {
        await using var node = new SpillwayEndpoint();
        var events = new PeerEvents(node);
        var port = node.Listen(IPAddress.Loopback, 0);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await socket.SendAsync(FrameCodec.EncodeHello(EndpointId.NewRandom(), []));
        await events.WaitForAsync("added");
        await socket.SendAsync(new byte[] { 0, 0, 0, 2, (byte)FrameType.Heartbeat, 7 });
        var removed = await events.WaitForAsync("removed");
        Assert.Equal(CloseReason.MalformedInput, removed.Reason);
        Assert.Equal("malformed input: 1 unexpected trailing bytes after the heartbeat frame", removed.Detail);
    }

    [Theory]
    [InlineData(0, 4, "HeartbeatInterval")]
    [InlineData(1, 0, "HeartbeatTimeout")]
    [InlineData(2, 2, "HeartbeatTimeout")]
    [InlineData(3, 1, "HeartbeatTimeout")]
    public void Heartbeat_settings_are_validated_naming_the_field(int intervalSeconds, int timeoutSeconds, string field)
    {
        var options = new EndpointOptions
        {
            HeartbeatInterval = TimeSpan.FromSeconds(intervalSeconds),
            HeartbeatTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        };
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(field, e.ParamName);
    }

    /// <summary>Reads exact byte counts from a raw socket, failing after a generous bound.</summary>
    private sealed class ReceivedBytes(Socket socket)
    {
        public byte[] TakeExactly(int count)
        {
            var bytes = new byte[count];
            var got = 0;
            socket.ReceiveTimeout = 20_000;
            while (got < count)
            {
                var n = socket.Receive(bytes, got, count - got, SocketFlags.None);
                if (n == 0) Assert.Fail($"connection closed after {got} of {count} bytes");
                got += n;
            }
            return bytes;
        }
    }
}
