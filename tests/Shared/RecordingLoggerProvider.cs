using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Spillway.Tests.Shared;

/// <summary>
/// Captures log entries (category, level, message, exception) so tests can assert what an operator would read,
/// either as entries or as formatted lines (<c>Warning [category]: message</c>).
/// </summary>
internal sealed class RecordingLoggerProvider(LogLevel minimumLevel = LogLevel.Debug) : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public LogLevel MinimumLevel { get; } = minimumLevel;

    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception)
    {
        public string Line => $"{Level} [{Category}]: {Message}";
    }

    public IReadOnlyList<Entry> Entries => _entries.ToArray();

    public IReadOnlyList<string> Lines => _entries.Select(e => e.Line).ToArray();

    /// <summary>A logger factory writing only to this recorder, from <see cref="MinimumLevel"/> up.</summary>
    public ILoggerFactory CreateFactory() => LoggerFactory.Create(b => b.AddProvider(this).SetMinimumLevel(MinimumLevel));

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose() { }

    private sealed class Recorder(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                owner._entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
        }
    }
}
