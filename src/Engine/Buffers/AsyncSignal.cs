using System.Threading.Tasks.Sources;

namespace Spillway.Engine.Buffers;

/// <summary>
/// An allocation-free auto-reset signal for exactly one waiter (a buffer's drain loop) and any number
/// of setters. A set that arrives while nobody waits is remembered, so no wake-up is ever lost;
/// spurious wake-ups are possible and the waiter re-checks its buffer.
/// </summary>
internal sealed class AsyncSignal : IValueTaskSource
{
    private const int Idle = 0, Signaled = 1, Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _state;
    private CancellationTokenRegistration _cancellation;

    public void Set()
    {
        if (Interlocked.Exchange(ref _state, Signaled) == Waiting)
        {
            _cancellation.Dispose();
            _core.SetResult(true);
        }
    }

    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signaled) == Signaled) return ValueTask.CompletedTask;
        cancellationToken.ThrowIfCancellationRequested();
        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle)
        {
            // A set raced in between: consume it and go on without waiting.
            Volatile.Write(ref _state, Idle);
            return ValueTask.CompletedTask;
        }
        if (cancellationToken.CanBeCanceled)
            _cancellation = cancellationToken.UnsafeRegister(static s => ((AsyncSignal)s!).Set(), this);
        return new ValueTask(this, _core.Version);
    }

    void IValueTaskSource.GetResult(short token)
    {
        _core.GetResult(token);
        // The wake-up consumed the signal; a set after this point is remembered for the next wait.
        Interlocked.CompareExchange(ref _state, Idle, Signaled);
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
