using System.Net;
using BenchmarkDotNet.Attributes;
using Spillway.Engine.Data;
using Spillway.Engine.Peering;
using Spillway.Engine.Wire;

namespace Spillway.Bench;

/// <summary>
/// What one 64-byte data frame costs when it arrives from a peer: decoded, handed to the endpoint's local subscriber
/// (which counts it), and offered to any WebSocket client subscribed to it (none here). The endpoint has 1, 16 or
/// 64 live peerings (real endpoints over loopback TCP, idle): a message from a peer is never forwarded to other
/// peers, so what arrives should cost the same whatever their number.
/// </summary>
[Config(typeof(ShortJobConfig))]
[MemoryDiagnoser]
public class ReceiveBenchmarks
{
    private const string Topic = "zeek/logs/conn";

    [Params(1, 16, 64)]
    public int Peers { get; set; }

    private SpillwayEndpoint _endpoint = null!;
    private readonly List<SpillwayEndpoint> _peers = [];
    private PeerConnection _from = null!;
    private IPeerHost _host = null!;
    private byte[] _body = [];
    private long _delivered;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _endpoint = new SpillwayEndpoint();
        _endpoint.Subscribe(Topic, (_, _) => _delivered++);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ids = new List<EndpointId>();
        _endpoint.PeerAdded += (_, e) =>
        {
            lock (ids)
            {
                ids.Add(e.Peer.EndpointId);
                if (ids.Count == Peers) up.TrySetResult();
            }
        };
        var port = _endpoint.Listen(IPAddress.Loopback, 0);
        for (var i = 0; i < Peers; i++)
        {
            var peer = new SpillwayEndpoint();
            _peers.Add(peer);
            peer.Peer("127.0.0.1", port);
        }
        await up.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (!_endpoint.TryGetConnection(ids[0], out var from)) throw new InvalidOperationException("the first peering is gone");
        _from = from;
        _host = _endpoint;
        var frame = FrameCodec.EncodeData(Topic, StringValue.FromUtf8(Quick.SpillwayPeer.Payload(64)));
        _body = frame[(FrameCodec.LengthPrefixSize + 1)..];
    }

    [Benchmark]
    public long Receive64B()
    {
        _host.DeliverFromPeer(_from, _body);
        return _delivered;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        foreach (var peer in _peers) await peer.DisposeAsync();
        await _endpoint.DisposeAsync();
    }
}
