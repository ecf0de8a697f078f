using Spillway.Telemetry.Export;

namespace Spillway.Telemetry.Tests.Export;

/// <summary>An <see cref="ITelemetrySource"/> whose values the test sets; can be told to throw.</summary>
public sealed class TestTelemetrySource : ITelemetrySource
{
    private readonly Lock _gate = new();
    private Action<TelemetrySnapshot> _fill = static _ => { };
    private Exception? _failure;
    private int _fills;

    public TestTelemetrySource() { }

    public TestTelemetrySource(Action<TelemetrySnapshot> fill) => _fill = fill;

    public int Fills { get { lock (_gate) return _fills; } }

    /// <summary>The layout bound this source declares (a small layout unless a test says otherwise).</summary>
    public int MaxPeerLabelValues { get; init; } = 16;

    /// <summary>From now on, Fill writes what <paramref name="fill"/> writes.</summary>
    public void Set(Action<TelemetrySnapshot> fill)
    {
        lock (_gate)
            _fill = fill;
    }

    /// <summary>From now on, Fill throws <paramref name="failure"/> (after writing half a snapshot); null stops it.</summary>
    public void FailWith(Exception? failure)
    {
        lock (_gate)
            _failure = failure;
    }

    public void Fill(TelemetrySnapshot snapshot)
    {
        lock (_gate)
        {
            _fills++;
            snapshot.Clear();
            if (_failure is not null)
            {
                snapshot.NodeName = "half-filled";
                snapshot.PeerBuffers.Add(new PeerBufferGauges("garbage", 1, 1, 1));
                throw _failure;
            }
            _fill(snapshot);
        }
    }
}
