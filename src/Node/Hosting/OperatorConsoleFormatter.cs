using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Spillway.Node.Hosting;

/// <summary>
/// One plain line per event for an operator: <c>13:05:01 warn  worker-1: removed proxy-1 (127.0.0.1:41234) due to
/// backpressure overflow</c>. No category or event id: the message already says which node and which peer.
/// </summary>
internal sealed class OperatorConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "spillway";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null) return;
        textWriter.Write(DateTime.Now.ToString("HH:mm:ss "));
        textWriter.Write(logEntry.LogLevel switch
        {
            LogLevel.Trace => "trace ",
            LogLevel.Debug => "debug ",
            LogLevel.Information => "info  ",
            LogLevel.Warning => "warn  ",
            LogLevel.Error => "error ",
            _ => "crit  ",
        });
        textWriter.WriteLine(message);
        if (logEntry.Exception is not null) textWriter.WriteLine(logEntry.Exception.ToString());
    }
}
