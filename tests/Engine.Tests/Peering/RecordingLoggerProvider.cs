using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Spillway.Engine.Tests.Peering;

/// <summary>Captures formatted log lines (level, category, message) so tests can assert what an operator would read. Shared by the test projects.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public ILoggerFactory CreateFactory() => LoggerFactory.Create(b => b.AddProvider(this).SetMinimumLevel(LogLevel.Debug));

    public ILogger CreateLogger(string categoryName) => new Recorder(_lines, categoryName);

    public void Dispose() { }

    private sealed class Recorder(ConcurrentQueue<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} [{category}]: {formatter(state, exception)}");
    }
}
