using System.Buffers.Binary;
using System.Threading.Channels;
using NATS.Client.Core;

namespace Spillway.Bench.Quick;

/// <summary>nats-server through its official .NET client (NATS.Net): core publish / subscribe, no JetStream.</summary>
internal static class NatsPeer
{
    public const string Subject = "bench.tp";

    private static NatsOpts Options(int port) => NatsOpts.Default with
    {
        Url = $"nats://127.0.0.1:{port}",
        // Wait instead of dropping in the client: loss would then only come from the server.
        SubPendingChannelCapacity = 65536,
        SubPendingChannelFullMode = BoundedChannelFullMode.Wait,
    };

    public static async Task<IAsyncDisposable> StartSubscriberAsync(int port, SharedCounters counters, LatencyRecorder? recorder)
    {
        var connection = new NatsConnection(Options(port));
        await connection.ConnectAsync();
        var subscription = await connection.SubscribeCoreAsync<byte[]>(Subject);
        var loop = Task.Run(async () =>
        {
            await foreach (var msg in subscription.Msgs.ReadAllAsync())
            {
                if (recorder is not null && msg.Data is { Length: >= 8 } data) recorder.Record(BinaryPrimitives.ReadInt64LittleEndian(data));
                counters.Add(SharedCounters.Delivered, 1);
            }
        });
        await connection.PingAsync(); // the server has the SUB before the publisher starts
        return new Owner(connection, subscription, loop);
    }

    private sealed class Owner(NatsConnection connection, INatsSub<byte[]> subscription, Task loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await subscription.DisposeAsync();
            await loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
            await connection.DisposeAsync();
        }
    }

    public static async Task<IBenchSender> ConnectAsync(int port, int payload)
    {
        var connection = new NatsConnection(Options(port));
        await connection.ConnectAsync();
        return new Sender(connection, payload);
    }

    private sealed class Sender(NatsConnection connection, int payload) : IBenchSender
    {
        private readonly byte[] _payload = SpillwayPeer.Payload(payload);

        public void Send(long stamp)
        {
            var data = _payload;
            if (stamp != 0)
            {
                // A fresh array: the client may still hold the previous one.
                data = new byte[Math.Max(8, payload)];
                BinaryPrimitives.WriteInt64LittleEndian(data, stamp);
            }
            var pending = connection.PublishAsync(Subject, data);
            if (!pending.IsCompletedSuccessfully) pending.AsTask().GetAwaiter().GetResult();
        }

        public bool Congested => false;
        public long ClientDrops => 0;
        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
