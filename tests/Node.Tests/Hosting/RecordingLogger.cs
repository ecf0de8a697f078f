using Microsoft.Extensions.Logging;

namespace Spillway.Node.Tests.Hosting;

/// <summary>Keeps every formatted log line as <c>level message</c>, in order.</summary>
internal sealed class RecordingLogger : ILogger
{
    public List<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Add($"{(logLevel == LogLevel.Warning ? "warn" : logLevel.ToString().ToLowerInvariant())} {formatter(state, exception)}");
}
