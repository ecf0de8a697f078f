using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Spillway.Node.Hosting;

/// <summary>
/// One console line per lifecycle event, in the naming layer's words (<c>worker-1: removed proxy-1 (…) due to …</c>).
/// The engine's own id-level lines and ASP.NET's chatter are kept to warnings.
/// </summary>
internal static class NodeLogging
{
    public static void Configure(ILoggingBuilder logging, LogLevel minimum = LogLevel.Information)
    {
        logging.ClearProviders();
        logging.AddConsole(o => o.FormatterName = OperatorConsoleFormatter.Name);
        logging.AddConsoleFormatter<OperatorConsoleFormatter, ConsoleFormatterOptions>();
        logging.SetMinimumLevel(minimum);
        logging.AddFilter("Spillway.Endpoint", LogLevel.Warning);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System", LogLevel.Warning);
        // A web host that fails to start throws to NodeHost, which reports it in one line naming the layout field;
        // the host's own log of the same failure would add a stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
    }

    public static ILoggerFactory CreateFactory(LogLevel minimum = LogLevel.Information) =>
        LoggerFactory.Create(b => Configure(b, minimum));
}
