namespace Spillway.Node.Top;

/// <summary>
/// What the live view remembers between polls: each peering's overflow counter over the last <see cref="Window"/> (rates
/// are smoothed over it rather than a one-poll difference that jumps between 0 and hundreds), when each last
/// overflowed (a peering stays marked for <see cref="Hold"/> after that, so the mark does not blink), and which nodes
/// have answered yet (a node that has not, during <see cref="StartupGrace"/>, is "starting", not down).
/// </summary>
public sealed class TopHistory
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultHold = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultStartupGrace = TimeSpan.FromSeconds(30);

    private readonly Dictionary<(string Node, string Peer), PeeringSamples> _peerings = new();
    private readonly Dictionary<string, DateTimeOffset> _firstPolled = new(StringComparer.Ordinal);
    private readonly HashSet<string> _everUp = new(StringComparer.Ordinal);

    private sealed class PeeringSamples
    {
        public readonly List<(DateTimeOffset At, long Overflows)> Samples = new();
        public DateTimeOffset? LastIncrease;
    }

    public TopHistory(TimeSpan? window = null, TimeSpan? hold = null, TimeSpan? startupGrace = null)
    {
        Window = window ?? DefaultWindow;
        Hold = hold ?? DefaultHold;
        StartupGrace = startupGrace ?? DefaultStartupGrace;
    }

    public TimeSpan Window { get; }
    public TimeSpan Hold { get; }
    public TimeSpan StartupGrace { get; }

    /// <summary>Records one poll.</summary>
    public void Add(IReadOnlyList<NodeStatus> poll)
    {
        foreach (var status in poll)
        {
            _firstPolled.TryAdd(status.Name, status.At);
            if (status.IsDown || status.Report is null) continue;
            _everUp.Add(status.Name);
            foreach (var peer in status.Report.Peers)
            {
                var key = (status.Name, TopRenderer.Key(peer));
                if (!_peerings.TryGetValue(key, out var samples)) _peerings[key] = samples = new PeeringSamples();
                var list = samples.Samples;
                if (list.Count > 0 && list[^1].At >= status.At) continue; // the same poll twice
                if (list.Count > 0 && peer.Overflows < list[^1].Overflows) list.Clear(); // the node restarted
                if (list.Count > 0 && peer.Overflows > list[^1].Overflows) samples.LastIncrease = status.At;
                list.Add((status.At, peer.Overflows));
                // Keep the window plus one older sample as its baseline.
                while (list.Count > 2 && list[1].At <= status.At - Window) list.RemoveAt(0);
            }
        }
    }

    /// <summary>Overflows per second over the window ending at the latest sample; null with fewer than two samples.</summary>
    public double? Rate(string node, string peerKey)
    {
        if (!_peerings.TryGetValue((node, peerKey), out var samples) || samples.Samples.Count < 2) return null;
        var (firstAt, first) = samples.Samples[0];
        var (lastAt, last) = samples.Samples[^1];
        var elapsed = lastAt - firstAt;
        return elapsed <= TimeSpan.Zero ? null : (last - first) / elapsed.TotalSeconds;
    }

    /// <summary>When the peering's counter last rose, if it did while watched.</summary>
    public DateTimeOffset? LastOverflow(string node, string peerKey) =>
        _peerings.TryGetValue((node, peerKey), out var samples) ? samples.LastIncrease : null;

    /// <summary>True while the node has never answered and was first polled less than <see cref="StartupGrace"/> ago.</summary>
    public bool IsStarting(string node, DateTimeOffset now) =>
        !_everUp.Contains(node) && _firstPolled.TryGetValue(node, out var first) && now - first < StartupGrace;
}
