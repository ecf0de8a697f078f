namespace Spillway.WebSockets;

/// <summary>
/// The <c>X-Application-Name</c> request header, as Zeek reads it (docs/broker-compat.md): a client names the
/// application it belongs to, so per-application aggregates can be told apart. Letters, digits and
/// <c>/ _ - . = : * @</c> only; a missing header means <see cref="Unknown"/>.
/// </summary>
public static class ApplicationName
{
    /// <summary>The request header's name.</summary>
    public const string Header = "X-Application-Name";

    /// <summary>What a client without the header is called (Zeek's word).</summary>
    public const string Unknown = "unknown";

    /// <summary>The error code Zeek uses for a name it refuses.</summary>
    public const string InvalidCode = "invalid_application_name";
    /// <summary>The close reason (with close code 1008) Zeek uses for a name it refuses.</summary>
    public const string InvalidCloseReason = "Invalid X-Application-Name";

    /// <summary>
    /// Longer names are refused too. Zeek has no limit; a name becomes a Prometheus label value on every scrape, and
    /// an 8 KiB header should not.
    /// </summary>
    public const int MaxLength = 128;

    private const string AllowedSymbols = "/_-.=:*@";

    /// <summary>
    /// The application name of a request's header values: <see cref="Unknown"/> when absent or empty; null with a
    /// <paramref name="problem"/> in the client's terms when refused. Several header lines arrive comma-joined, and a
    /// comma is not allowed, so a client that sends two names is refused rather than named by either.
    /// </summary>
    public static string? Read(string? header, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(header)) return Unknown;
        if (header.Length > MaxLength)
        {
            problem = $"{Header} is {header.Length} characters long, more than the maximum of {MaxLength}";
            return null;
        }
        foreach (var c in header)
        {
            if (char.IsAsciiLetterOrDigit(c) || AllowedSymbols.Contains(c)) continue;
            problem = $"{Header} '{header}' holds '{Describe(c)}'; allowed are letters, digits and {string.Join(' ', AllowedSymbols.ToCharArray())}";
            return null;
        }
        return header;
    }

    private static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString();
}
