using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Spillway.Node.Tests.Adversarial;

/// <summary>
/// Frames written by hand from docs/wire-format.md (<c>u32 length | u8 type | body</c>), the way an attacker would:
/// nothing from the engine, so these bytes are exactly what goes on the wire.
/// </summary>
internal static class RawWire
{
    public const byte Hello = 1;
    public const byte Subscriptions = 2;

    public static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return socket;
    }

    /// <summary>A header declaring a frame of <paramref name="declared"/> bytes (type byte included).</summary>
    public static byte[] Header(uint declared, byte type)
    {
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header, declared);
        header[4] = type;
        return header;
    }

    public static byte[] HelloFrame(IReadOnlyList<string> subscriptions)
    {
        var body = new List<byte>();
        body.AddRange("SPWY"u8.ToArray());
        body.AddRange([0, 1]); // protocol version 1
        var id = new byte[16];
        Guid.NewGuid().TryWriteBytes(id, bigEndian: true, out _);
        body.AddRange(id);
        AddList(body, subscriptions);
        return Frame(Hello, body);
    }

    public static byte[] SubscriptionsFrame(IReadOnlyList<string> subscriptions)
    {
        var body = new List<byte>();
        AddList(body, subscriptions);
        return Frame(Subscriptions, body);
    }

    private static void AddList(List<byte> body, IReadOnlyList<string> items)
    {
        AddVarUInt(body, (uint)items.Count);
        foreach (var item in items)
        {
            var utf8 = Encoding.UTF8.GetBytes(item);
            AddVarUInt(body, (uint)utf8.Length);
            body.AddRange(utf8);
        }
    }

    private static void AddVarUInt(List<byte> body, uint value)
    {
        while (value >= 0x80)
        {
            body.Add((byte)(value | 0x80));
            value >>= 7;
        }
        body.Add((byte)value);
    }

    private static byte[] Frame(byte type, List<byte> body)
    {
        var frame = new byte[5 + body.Count];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(1 + body.Count));
        frame[4] = type;
        body.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>Reads until the node closes the connection (0 bytes or a reset); false if it is still open after 30 s.</summary>
    public static async Task<bool> ClosedByNodeAsync(Socket socket)
    {
        var sink = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (await socket.ReceiveAsync(sink, SocketFlags.None, timeout.Token) > 0) { }
            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends, treating a connection the node already closed as done (it may refuse before we finish).</summary>
    public static async Task SendAllowingResetAsync(Socket socket, byte[] bytes)
    {
        try { await socket.SendAsync(bytes, SocketFlags.None); }
        catch (SocketException) { }
    }
}
