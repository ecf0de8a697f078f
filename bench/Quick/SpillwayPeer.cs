using System.Collections.Immutable;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Spillway.WebSockets.Json;
using Spillway.WebSockets;
using Spillway.Engine.Buffers;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Engine.Wire;

namespace Spillway.Bench.Quick;

/// <summary>
/// Every use of engine types by the quick set lives here (the rest of the harness sees ports,
/// counters and <see cref="IBenchSender"/>), so renames in the engine touch one file.
/// </summary>
internal static class SpillwayPeer
{
    public const string Topic = "bench/tp";

    /// <summary>A payload of <paramref name="length"/> ASCII bytes, the same the NATS and Redis publishers send.</summary>
    public static byte[] Payload(int length) => Enumerable.Repeat((byte)'x', length).ToArray();

    /// <summary>Bytes on the wire for one throughput message of <paramref name="payload"/> characters.</summary>
    public static int FrameSize(int payload) => FrameCodec.EncodeData(Topic, StringValue.FromUtf8(Payload(payload))).Length;

    /// <summary>Subscribing side: <paramref name="count"/> endpoints, each listening on its own loopback port.</summary>
    /// <param name="tls">Mutual TLS identity of every receiver (null: plaintext).</param>
    public static (IAsyncDisposable Owner, int[] Ports) StartReceivers(int count, SharedCounters counters, LatencyRecorder? recorder, PeerTlsOptions? tls = null)
    {
        var endpoints = new List<SpillwayEndpoint>();
        var subscriptions = new List<IDisposable>();
        var ports = new int[count];
        for (var i = 0; i < count; i++)
        {
            var endpoint = new SpillwayEndpoint(new EndpointOptions { Tls = tls });
            // Subscribe before listening, so the hello already carries the subscription.
            subscriptions.Add(recorder is null
                ? endpoint.Subscribe(Topic, (_, _) => counters.Add(SharedCounters.Delivered, 1))
                : endpoint.Subscribe(Topic, (_, value) =>
                {
                    if (value is VectorValue { Items: [IntegerValue stamp, ..] }) recorder.Record(stamp.Value);
                    counters.Add(SharedCounters.Delivered, 1);
                }));
            ports[i] = endpoint.Listen(IPAddress.Loopback, 0);
            endpoints.Add(endpoint);
        }
        return (new Owner(endpoints, subscriptions), ports);
    }

    private sealed class Owner(List<SpillwayEndpoint> endpoints, List<IDisposable> subscriptions) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var s in subscriptions) s.Dispose();
            foreach (var e in endpoints) await e.DisposeAsync();
        }
    }

    /// <summary>Publishing side: one endpoint peered with every port; returns once all peerings are up.</summary>
    /// <param name="dropOldest">The engine's default policy (steady state under overflow: evict the oldest); otherwise drop_newest, which the flow-controlled trials use.</param>
    /// <param name="tls">Mutual TLS identity of the publisher (null: plaintext); the receivers must use the same CA.</param>
    public static async Task<IBenchSender> ConnectAsync(int[] ports, int payload, bool dropOldest = false, PeerTlsOptions? tls = null)
    {
        var endpoint = new SpillwayEndpoint(new EndpointOptions { PeerOverflowPolicy = dropOldest ? OverflowPolicy.DropOldest : OverflowPolicy.DropNewest, Tls = tls });
        var peers = new List<EndpointId>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        endpoint.PeerAdded += (_, e) =>
        {
            lock (peers)
            {
                peers.Add(e.Peer.EndpointId);
                if (peers.Count == ports.Length) all.TrySetResult();
            }
        };
        foreach (var port in ports) endpoint.Peer("127.0.0.1", port);
        await all.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return new Sender(endpoint, [.. peers], payload);
    }

    private sealed class Sender(SpillwayEndpoint endpoint, EndpointId[] peers, int payload) : IBenchSender
    {
        // The payload as bytes, as the NATS and Redis publishers hand theirs (a byte[] each): a StringValue from UTF-8.
        private readonly Value _value = StringValue.FromUtf8(Payload(payload));
        // Latency messages: [stamp, padding] so the frame is about as large as the throughput one.
        private readonly StringValue _pad = StringValue.FromUtf8(Payload(Math.Max(0, payload - 10)));
        private readonly int _highWater = endpoint.Options.PeerBufferSize / 2;

        public void Send(long stamp)
        {
            if (stamp == 0) endpoint.Publish(Topic, _value);
            else endpoint.Publish(Topic, new VectorValue(ImmutableArray.Create<Value>(new IntegerValue(stamp), _pad)));
        }

        public bool Congested
        {
            get
            {
                foreach (var peer in peers)
                    if (endpoint.TryGetPeeringStats(peer, out var s) && s.Queued > _highWater) return true;
                return false;
            }
        }

        public long ClientDrops
        {
            get
            {
                long overflows = 0;
                foreach (var peer in peers)
                    if (endpoint.TryGetPeeringStats(peer, out var s)) overflows += s.Overflows;
                return overflows;
            }
        }

        public ValueTask DisposeAsync() => endpoint.DisposeAsync();
    }

    // ---- the WebSocket path -------------------------------------------------------------------------

    /// <summary>
    /// A node with the WebSocket JSON gateway (Kestrel on a free loopback port) and a peering listener:
    /// ports [peering, http]. It subscribes to nothing itself; its WebSocket clients' subscriptions are
    /// announced to its peers.
    /// </summary>
    public static async Task<(IAsyncDisposable Owner, int[] Ports)> StartWebSocketNodeAsync()
    {
        var endpoint = new SpillwayEndpoint();
        var peeringPort = endpoint.Listen(IPAddress.Loopback, 0);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapSpillwayWebSockets(endpoint);
        await app.StartAsync();
        var httpPort = new Uri(app.Urls.First()).Port;
        return (new WebSocketNode(app, endpoint), [peeringPort, httpPort]);
    }

    private sealed class WebSocketNode(WebApplication app, SpillwayEndpoint endpoint) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            await endpoint.DisposeAsync();
        }
    }

    /// <summary>A subscribing endpoint that dials <paramref name="port"/>; returns once the peering is up.</summary>
    public static async Task<IAsyncDisposable> StartSubscriberDialingAsync(int port, SharedCounters counters)
    {
        var endpoint = new SpillwayEndpoint();
        var subscription = endpoint.Subscribe(Topic, (_, _) => counters.Add(SharedCounters.Delivered, 1));
        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        endpoint.PeerAdded += (_, _) => added.TrySetResult();
        endpoint.Peer("127.0.0.1", port);
        await added.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return new Owner([endpoint], [subscription]);
    }

    /// <summary>The JSON API v1 data message a WebSocket client sends for one throughput message.</summary>
    public static byte[] JsonDataMessage(int payload) => BrokerJson.EncodeDataMessage(Topic, Value.Of(new string('x', payload)));
}
