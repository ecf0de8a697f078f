using StackExchange.Redis;

namespace Spillway.Bench.Quick;

/// <summary>redis-server pub/sub through its official .NET client (StackExchange.Redis), fire-and-forget publishes.</summary>
internal static class RedisPeer
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("bench.tp");

    private static ConfigurationOptions Options(int port) => new()
    {
        EndPoints = { { "127.0.0.1", port } },
        AbortOnConnectFail = true,
    };

    public static async Task<IAsyncDisposable> StartSubscriberAsync(int port, SharedCounters counters)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(Options(port));
        // Awaits the server's SUBSCRIBE confirmation, so nothing published afterwards is missed.
        await connection.GetSubscriber().SubscribeAsync(Channel, (_, _) => counters.Add(SharedCounters.Delivered, 1));
        return new Owner(connection);
    }

    private sealed class Owner(ConnectionMultiplexer connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await connection.DisposeAsync();
    }

    public static async Task<IBenchSender> ConnectAsync(int port, int payload)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(Options(port));
        return new Sender(connection, payload);
    }

    private sealed class Sender(ConnectionMultiplexer connection, int payload) : IBenchSender
    {
        private readonly ISubscriber _publisher = connection.GetSubscriber();
        private readonly RedisValue _payload = SpillwayPeer.Payload(payload);

        public void Send(long stamp) => _publisher.Publish(Channel, _payload, CommandFlags.FireAndForget);

        public bool Congested => false;
        public long ClientDrops => 0;
        public async ValueTask DisposeAsync() => await connection.DisposeAsync();
    }
}
