using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Spillway.Engine.Peering;

/// <summary>
/// Raises lifecycle events in the order they happened, on one background loop, so a handler never runs
/// on a publisher's or a socket loop's thread and a slow handler delays only other events.
/// </summary>
internal sealed class EventDispatcher
{
    private readonly Channel<(EventHandler<PeerEventArgs>? Handler, object Sender, PeerEventArgs Args)> _queue =
        Channel.CreateUnbounded<(EventHandler<PeerEventArgs>?, object, PeerEventArgs)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly Task _loop;

    public EventDispatcher(ILogger logger)
    {
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public void Raise(EventHandler<PeerEventArgs>? handler, object sender, PeerEventArgs args)
    {
        if (handler is not null) _queue.Writer.TryWrite((handler, sender, args));
    }

    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private async Task RunAsync()
    {
        await foreach (var (handler, sender, args) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try { handler!(sender, args); }
            catch (Exception e) { _logger.LogError(e, "A peer lifecycle event handler failed for {Peer}", args.Peer); }
        }
    }
}
