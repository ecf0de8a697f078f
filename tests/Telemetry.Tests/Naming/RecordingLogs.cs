using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Spillway.Telemetry.Tests.Naming;

/// <summary>Captures formatted log lines so tests can assert what an operator would read.</summary>
public sealed class RecordingLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public RecordingLogs() => Factory = LoggerFactory.Create(b => b.AddProvider(this).SetMinimumLevel(LogLevel.Debug));

    public ILoggerFactory Factory { get; }
    public IReadOnlyList<string> Lines => _lines.ToArray();
    public ILogger CreateLogger(string categoryName) => new Recorder(_lines);
    public void Dispose() { }

    private sealed class Recorder(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
