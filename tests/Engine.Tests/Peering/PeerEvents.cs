using System.Collections.Concurrent;
using Spillway.Engine.Peering;

namespace Spillway.Engine.Tests.Peering;

/// <summary>Records an endpoint's lifecycle events in order, and waits for one with a deadline.</summary>
public sealed class PeerEvents
{
    private readonly ConcurrentQueue<(string Kind, PeerEventArgs Args)> _all = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public PeerEvents(SpillwayEndpoint endpoint)
    {
        endpoint.PeerAdded += (_, e) => Record("added", e);
        endpoint.PeerLost += (_, e) => Record("lost", e);
        endpoint.PeerRemoved += (_, e) => Record("removed", e);
    }

    public IReadOnlyList<(string Kind, PeerEventArgs Args)> All => _all.ToArray();

    private void Record(string kind, PeerEventArgs e)
    {
        _all.Enqueue((kind, e));
        _arrived.Release();
    }

    /// <summary>Waits until the count of <paramref name="kind"/> events reaches <paramref name="count"/>.</summary>
    public async Task<PeerEventArgs> WaitForAsync(string kind, int count = 1, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var matching = _all.Where(e => e.Kind == kind).ToList();
            if (matching.Count >= count) return matching[count - 1].Args;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
                throw new TimeoutException($"expected {count} '{kind}' events within {timeoutSeconds} s; got: " +
                    string.Join(", ", _all.Select(e => $"{e.Kind}({e.Args.Reason})")));
        }
    }
}
