namespace Spillway.Bench.Quick;

/// <summary>The publishing half of one system under test, driven by one thread.</summary>
internal interface IBenchSender : IAsyncDisposable
{
    /// <summary>Publishes one message. <paramref name="stamp"/> is 0 when measuring throughput, the intended send time (Stopwatch ticks) when measuring latency.</summary>
    void Send(long stamp);

    /// <summary>True while the client's own queue asks the publisher to wait (only Spillway exposes one).</summary>
    bool Congested { get; }

    /// <summary>Messages the client itself reports as dropped on the publishing side.</summary>
    long ClientDrops { get; }
}
