using Microsoft.Extensions.Hosting;

namespace Spillway.Node.Hosting;

/// <summary>
/// A host lifetime that leaves SIGINT/SIGTERM alone. The node's web hosts are parts of one process whose
/// command owns the signals; the default console lifetime would swallow them and stop only itself.
/// </summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
