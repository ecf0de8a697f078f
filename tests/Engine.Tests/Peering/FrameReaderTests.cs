using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Engine.Wire;

namespace Spillway.Engine.Tests.Peering;

/// <summary>
/// The frame reader over a real loopback TCP connection (and TLS on it): it holds no receive buffer while it
/// waits on an idle connection, keeps the bytes of a frame cut in two across the wait, and reads every frame
/// exactly, in order, whichever way the bytes arrive.
/// </summary>
public sealed class FrameReaderTests : IAsyncLifetime
{
    private const int MaxFrame = 1 << 20;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private Socket _sending = null!;
    private Socket _receiving = null!;

    public async Task InitializeAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _sending = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accept = listener.AcceptAsync();
        await _sending.ConnectAsync(listener.LocalEndPoint!);
        _receiving = await accept;
    }

    public Task DisposeAsync()
    {
        _sending.Dispose();
        _receiving.Dispose();
        _timeout.Dispose();
        return Task.CompletedTask;
    }

    private static byte[] Frame(string topic, long n) => FrameCodec.EncodeData(topic, Value.Of(n));

    private static (string Topic, long N) Read(FrameReader reader)
    {
        Assert.True(reader.TryReadFrame(out var type, out var body), "expected a whole frame in the buffer");
        Assert.Equal(FrameType.Data, type);
        var (topic, value) = FrameCodec.DecodeData(body);
        return (topic, ((IntegerValue)value).Value);
    }

    /// <summary>Starts a fill and checks it is really waiting (no bytes are on the way) before the test looks at the reader.</summary>
    private async Task<ValueTask<bool>> PendingFillAsync(FrameReader reader)
    {
        var fill = reader.FillAsync(int.MaxValue, _timeout.Token);
        await Task.Delay(100);
        Assert.False(fill.IsCompleted, "the fill completed with nothing sent");
        return fill;
    }

    [Fact]
    public async Task An_idle_reader_holds_no_buffer_and_reads_the_next_frame_when_it_comes()
    {
        var reader = new FrameReader(new NetworkStream(_receiving), MaxFrame);
        Assert.Equal(0, reader.HeldBufferBytes);
        await _sending.SendAsync(Frame("a/one", 1));
        Assert.True(await reader.FillAsync(int.MaxValue, _timeout.Token));
        Assert.Equal(64 * 1024, reader.HeldBufferBytes);
        Assert.Equal(("a/one", 1L), Read(reader));
        Assert.False(reader.TryReadFrame(out _, out _));

        var fill = await PendingFillAsync(reader);
        Assert.Equal(0, reader.HeldBufferBytes);

        await _sending.SendAsync(Frame("a/two", 2));
        Assert.True(await fill);
        Assert.Equal(64 * 1024, reader.HeldBufferBytes);
        Assert.Equal(("a/two", 2L), Read(reader));
    }

    [Fact]
    public async Task Before_the_hello_the_buffer_is_exactly_the_handshake_budget_and_no_more_is_read()
    {
        const int Budget = 1000;
        var reader = new FrameReader(new NetworkStream(_receiving), Budget, RefusalReason.HandshakeBytes);
        var hello = Frame("h", 1);
        var more = new byte[3 * Budget];
        await _sending.SendAsync(hello.Concat(more).ToArray());
        await Eventually.HoldsAsync(() => _receiving.Available == hello.Length + more.Length, () => $"{_receiving.Available} bytes arrived");
        Assert.True(await reader.FillAsync(int.MaxValue, _timeout.Token));
        Assert.Equal(Budget + FrameCodec.LengthPrefixSize, reader.HeldBufferBytes);
        Assert.Equal(Budget + FrameCodec.LengthPrefixSize, reader.BufferedBytes);
        Assert.Equal(("h", 1L), Read(reader));
    }

    [Fact]
    public async Task A_frame_cut_in_two_keeps_its_first_half_across_the_wait()
    {
        var reader = new FrameReader(new NetworkStream(_receiving), MaxFrame);
        var whole = Frame("a/split", 42);
        var cut = whole.Length / 2;
        await _sending.SendAsync(whole.AsMemory(0, cut));
        await Eventually.HoldsAsync(() => _receiving.Available == cut, () => $"{_receiving.Available} of {cut} bytes arrived");
        Assert.True(await reader.FillAsync(int.MaxValue, _timeout.Token));
        Assert.False(reader.TryReadFrame(out _, out _));
        Assert.Equal(cut, reader.BufferedBytes);

        var fill = await PendingFillAsync(reader);
        Assert.True(reader.HeldBufferBytes >= whole.Length, "the reader dropped the buffer holding half a frame");

        await _sending.SendAsync(whole.AsMemory(cut));
        Assert.True(await fill);
        Assert.Equal(("a/split", 42L), Read(reader));
        Assert.Equal(0, reader.BufferedBytes);
    }

    [Fact]
    public async Task A_frame_larger_than_the_pooled_buffer_grows_it_and_the_next_wait_lets_it_go()
    {
        var reader = new FrameReader(new NetworkStream(_receiving), MaxFrame);
        var large = FrameCodec.EncodeData("a/large", Value.Of(new string('x', 300_000)));
        var send = _sending.SendAsync(large);
        while (!reader.TryReadFrame(out _, out _))
            Assert.True(await reader.FillAsync(int.MaxValue, _timeout.Token), "connection closed before the frame arrived");
        await send;
        Assert.True(reader.HeldBufferBytes >= large.Length);

        var fill = await PendingFillAsync(reader);
        Assert.Equal(0, reader.HeldBufferBytes);
        await _sending.SendAsync(Frame("a/after", 7));
        Assert.True(await fill);
        Assert.Equal(("a/after", 7L), Read(reader));
    }

    [Fact]
    public async Task Frames_arriving_in_every_cut_are_read_exactly_and_in_order()
    {
        var reader = new FrameReader(new NetworkStream(_receiving), MaxFrame);
        var frames = Enumerable.Range(0, 2000).Select(i => Frame($"t/{i % 7}", i)).ToArray();
        var stream = frames.SelectMany(f => f).ToArray();
        var random = new Random(7);
        var sender = Task.Run(async () =>
        {
            // Pieces of 1 byte to 3 frames, with pauses, so the reader sees empty buffers, partial frames and bursts.
            for (var at = 0; at < stream.Length;)
            {
                var size = Math.Min(stream.Length - at, random.Next(1, 3 * frames[0].Length));
                await _sending.SendAsync(stream.AsMemory(at, size));
                at += size;
                if (random.Next(8) == 0) await Task.Delay(1);
            }
            _sending.Shutdown(SocketShutdown.Send);
        });
        var received = new List<(string, long)>();
        while (await reader.FillAsync(int.MaxValue, _timeout.Token))
            while (reader.TryReadFrame(out _, out var body))
            {
                var (topic, value) = FrameCodec.DecodeData(body);
                received.Add((topic, ((IntegerValue)value).Value));
            }
        await sender;
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => ($"t/{i % 7}", (long)i)), received);
        Assert.Equal(0, reader.BufferedBytes);
    }

    [Fact]
    public async Task The_remote_closing_while_the_reader_waits_ends_the_fill_with_false()
    {
        var reader = new FrameReader(new NetworkStream(_receiving), MaxFrame);
        var fill = await PendingFillAsync(reader);
        _sending.Shutdown(SocketShutdown.Send);
        Assert.False(await fill);
    }

    [Fact]
    public async Task Over_TLS_an_idle_reader_holds_no_buffer_and_frames_still_arrive()
    {
        using var ca = TestCertificates.CreateAuthority();
        using var certificate = TestCertificates.Issue(ca, "reader");
        await using var server = new SslStream(new NetworkStream(_receiving));
        await using var client = new SslStream(new NetworkStream(_sending), false, (_, _, _, _) => true);
        await Task.WhenAll(
            server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls13 }, _timeout.Token),
            client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "reader" }, _timeout.Token));
        var reader = new FrameReader(server, MaxFrame);

        await client.WriteAsync(Frame("s/one", 1), _timeout.Token);
        Assert.True(await reader.FillAsync(int.MaxValue, _timeout.Token));
        Assert.Equal(("s/one", 1L), Read(reader));

        var fill = await PendingFillAsync(reader);
        Assert.Equal(0, reader.HeldBufferBytes);
        await client.WriteAsync(Frame("s/two", 2), _timeout.Token);
        Assert.True(await fill);
        Assert.Equal(("s/two", 2L), Read(reader));
    }
}
