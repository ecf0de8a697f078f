using System.Reflection;

namespace Spillway.WebSockets;

/// <summary>Settings of the WebSocket JSON API gateway (docs/design.md §6).</summary>
public sealed record WebSocketGatewayOptions
{
    /// <summary>The path Broker's JSON API v1 is served on.</summary>
    public const string DefaultPath = Spillway.Engine.SpillwayRoutes.WebSocketJson;

    /// <summary>16 MiB, the default <see cref="MaxMessageSize"/>.</summary>
    public const int DefaultMaxMessageSize = 16 * 1024 * 1024;

    /// <summary>The request path of the WebSocket endpoint; must start with '/'.</summary>
    public string Path { get; init; } = DefaultPath;

    /// <summary>
    /// The largest message, in bytes of UTF-8 across all its fragments, a client may send. A client that
    /// sends more is closed with <see cref="System.Net.WebSockets.WebSocketCloseStatus.MessageTooBig"/>;
    /// reading stops as soon as the limit is passed, so no more than this is ever buffered.
    /// </summary>
    public int MaxMessageSize { get; init; } = DefaultMaxMessageSize;

    /// <summary>The server version sent in the ack; defaults to this assembly's informational version.</summary>
    public string Version { get; init; } = DefaultVersion;

    /// <summary>
    /// How long a closing handshake (ours or the client's) may take, and how long a send may stay blocked
    /// after the session ended (e.g. a disconnect-policy overflow of a client that stopped reading),
    /// before the connection is aborted.
    /// </summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The informational version of Spillway.WebSockets (e.g. <c>1.0.0</c>).</summary>
    public static string DefaultVersion { get; } =
        typeof(WebSocketGatewayOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(WebSocketGatewayOptions).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Throws <see cref="ArgumentException"/> for settings that cannot work; called at start-up.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Path) || Path[0] != '/')
            throw new ArgumentException($"WebSocket path must start with '/', got '{Path}'", nameof(Path));
        // One more than the limit is read to detect an oversized message, so keep that within an array.
        if (MaxMessageSize < 1 || MaxMessageSize >= Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(MaxMessageSize), MaxMessageSize,
                $"maximum message size must be between 1 and {Array.MaxLength - 1} bytes");
        ArgumentNullException.ThrowIfNull(Version, nameof(Version));
        if (CloseTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(CloseTimeout), CloseTimeout, "close timeout must be positive");
    }
}
