using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Spillway.Engine.Data;

namespace Spillway.WebSockets.Json;

/// <summary>
/// The string encodings of Broker JSON API v1 for timespan, timestamp, address, subnet and port.
/// Parsing is strict: anything that is not exactly the documented form throws
/// <see cref="BrokerJsonException"/> with a message naming the problem.
/// </summary>
internal static class BrokerJsonText
{
    private const long NanosPerSecond = 1_000_000_000L;
    private const int MaxQuotedLength = 64;

    // Units read. Broker's encoder writes only s, ms, us and ns (FormatTimespan does the same);
    // min and h are read as Broker's parser (CAF) reads them, d as Zeek scripts write durations.
    private static readonly (string Suffix, long Nanos)[] TimespanUnits =
    [
        ("d", 86_400L * NanosPerSecond),
        ("h", 3_600L * NanosPerSecond),
        ("min", 60L * NanosPerSecond),
        ("s", NanosPerSecond),
        ("ms", 1_000_000L),
        ("us", 1_000L),
        ("ns", 1L),
    ];

    // Largest first: formatting picks the first unit that divides the value exactly, as Broker's encoder.
    private static readonly (string Suffix, long Nanos)[] WrittenTimespanUnits =
    [
        ("s", NanosPerSecond),
        ("ms", 1_000_000L),
        ("us", 1_000L),
        ("ns", 1L),
    ];

    /// <summary>Quotes client text for an error message, shortening very long input.</summary>
    public static string Quote(string text) =>
        text.Length <= MaxQuotedLength ? $"'{text}'" : $"'{text[..MaxQuotedLength]}…' ({text.Length} characters)";

    /// <summary>Shortens raw JSON text (e.g. a number literal) for an error message.</summary>
    public static string Shorten(string text) =>
        text.Length <= MaxQuotedLength ? text : $"{text[..MaxQuotedLength]}… ({text.Length} characters)";

    // ---- timespan: <integer><ns|us|ms|s|min|h|d> ------------------------------------------

    /// <summary>Broker's spelling: the coarsest of s, ms, us, ns that keeps the value exact; zero is <c>0s</c>.</summary>
    public static string FormatTimespan(long nanoseconds)
    {
        if (nanoseconds == 0) return "0s";
        foreach (var (suffix, nanos) in WrittenTimespanUnits)
        {
            if (nanoseconds % nanos == 0)
                return (nanoseconds / nanos).ToString(CultureInfo.InvariantCulture) + suffix;
        }
        throw new InvalidOperationException("unreachable: every value is a multiple of 1ns");
    }

    public static long ParseTimespan(string text)
    {
        var span = text.AsSpan();
        bool negative = span.StartsWith("-");
        int start = negative ? 1 : 0;
        int end = start;
        while (end < span.Length && char.IsAsciiDigit(span[end])) end++;
        if (end == start)
            throw new BrokerJsonException($"malformed timespan {Quote(text)}: expected <integer><ns|us|ms|s|min|h|d>");
        var unit = span[end..];
        long factor = 0;
        foreach (var (suffix, nanos) in TimespanUnits)
        {
            if (unit.SequenceEqual(suffix)) { factor = nanos; break; }
        }
        if (factor == 0)
            throw new BrokerJsonException(
                $"malformed timespan {Quote(text)}: unit must be one of ns, us, ms, s, min, h, d");
        if (!TryParseDigits(span[start..end], ulong.MaxValue, out ulong magnitude))
            throw new BrokerJsonException($"timespan {Quote(text)} is out of range");
        Int128 total = (Int128)magnitude * factor;
        if (negative) total = -total;
        if (total < long.MinValue || total > long.MaxValue)
            throw new BrokerJsonException($"timespan {Quote(text)} is out of range");
        return (long)total;
    }

    // ---- timestamp: YYYY-MM-DDThh:mm:ss[.f{1,9}][Z|±hh[:mm]|±hhmm] --------------------------------

    /// <summary>
    /// Broker's spelling (no zone, meaning UTC) with milliseconds; finer digits (6 or 9) only when the
    /// value has them, since Broker's parser reads up to nanoseconds while its encoder would drop them.
    /// </summary>
    public static string FormatTimestamp(long nanosecondsSinceEpoch)
    {
        long seconds = Math.DivRem(nanosecondsSinceEpoch, NanosPerSecond, out long fraction);
        if (fraction < 0) { fraction += NanosPerSecond; seconds--; }
        var time = DateTime.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond);
        string whole = time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (fraction % 1_000_000 == 0)
            return whole + "." + (fraction / 1_000_000).ToString("D3", CultureInfo.InvariantCulture);
        if (fraction % 1_000 == 0)
            return whole + "." + (fraction / 1_000).ToString("D6", CultureInfo.InvariantCulture);
        return whole + "." + fraction.ToString("D9", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// ISO 8601 as Broker's parser reads it: no zone or <c>Z</c> is UTC; an offset (<c>+02:00</c>,
    /// <c>-0200</c>, <c>+02</c>) is subtracted, so the value is always UTC.
    /// </summary>
    public static long ParseTimestamp(string text)
    {
        const string Expected =
            "expected YYYY-MM-DDThh:mm:ss with an optional fraction of up to 9 digits and an optional Z or UTC offset (+hh:mm, +hhmm, +hh)";
        var s = text.AsSpan();
        int offsetSeconds = 0;
        if (s.EndsWith("Z"))
        {
            s = s[..^1];
        }
        else if (s.Length > 19 && s[19..].IndexOfAny('+', '-') is var sign and >= 0)
        {
            if (!TryParseOffset(s[(19 + sign)..], out offsetSeconds))
                throw new BrokerJsonException($"malformed timestamp {Quote(text)}: {Expected}");
            s = s[..(19 + sign)];
        }
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !TryParseFixed(s[0..4], out int year) || !TryParseFixed(s[5..7], out int month)
            || !TryParseFixed(s[8..10], out int day) || !TryParseFixed(s[11..13], out int hour)
            || !TryParseFixed(s[14..16], out int minute) || !TryParseFixed(s[17..19], out int second))
        {
            throw new BrokerJsonException($"malformed timestamp {Quote(text)}: {Expected}");
        }
        long fraction = 0;
        if (s.Length > 19)
        {
            var digits = s[20..];
            if (s[19] != '.' || digits.Length is 0 or > 9 || !TryParseFixed(digits, out int value))
                throw new BrokerJsonException($"malformed timestamp {Quote(text)}: {Expected}");
            fraction = value;
            for (int i = digits.Length; i < 9; i++) fraction *= 10;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            throw new BrokerJsonException($"malformed timestamp {Quote(text)}: date or time field out of range");
        }
        long ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks;
        Int128 nanos = ((Int128)((ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond) - offsetSeconds) * NanosPerSecond + fraction;
        if (nanos < long.MinValue || nanos > long.MaxValue)
            throw new BrokerJsonException(
                $"timestamp {Quote(text)} is out of range (nanoseconds since 1970 must fit in 64 bits)");
        return (long)nanos;
    }

    /// <summary><c>±hh</c>, <c>±hhmm</c> or <c>±hh:mm</c>, hours 0..23 and minutes 0..59, as seconds east of UTC.</summary>
    private static bool TryParseOffset(ReadOnlySpan<char> text, out int seconds)
    {
        seconds = 0;
        if (text.Length is not (3 or 5 or 6) || (text.Length == 6 && text[3] != ':')) return false;
        var minutesText = text.Length switch { 5 => text[3..5], 6 => text[4..6], _ => "00" };
        if (!TryParseFixed(text[1..3], out int hours) || !TryParseFixed(minutesText, out int minutes)
            || hours > 23 || minutes > 59)
        {
            return false;
        }
        seconds = (text[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        return true;
    }

    // ---- address: dotted quad or IPv6 ------------------------------------------------------

    public static string FormatAddress(IPAddress address) => address.ToString();

    public static IPAddress ParseAddress(string text) =>
        TryParseAddress(text.AsSpan(), out var address)
            ? address
            : throw new BrokerJsonException($"malformed address {Quote(text)}");

    /// <summary>
    /// Strict: IPv4 only as a dotted quad of four decimal parts 0..255 without leading zeros
    /// (no "1", "1.2.3", "0x7f.1" or octal forms); IPv6 only as hex groups with ':' (an embedded
    /// dotted quad and a numeric %scope allowed), no brackets or ports.
    /// </summary>
    public static bool TryParseAddress(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':'))
        {
            int percent = text.IndexOf('%');
            var body = percent < 0 ? text : text[..percent];
            if (body.Length is < 2 or > 45) return false;
            foreach (char c in body)
            {
                if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.') return false;
            }
            if (percent >= 0 && !TryParseDigits(text[(percent + 1)..], uint.MaxValue, out _)) return false;
            int lastColon = body.LastIndexOf(':');
            if (body[(lastColon + 1)..].Contains('.') && !TryParseIPv4(body[(lastColon + 1)..], out _)) return false;
            if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
                return false;
            address = parsed;
            return true;
        }
        if (!TryParseIPv4(text, out var v4)) return false;
        address = v4;
        return true;
    }

    private static bool TryParseIPv4(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> bytes = stackalloc byte[4];
        int part = 0;
        foreach (var range in text.Split('.'))
        {
            var digits = text[range];
            if (part == 4 || digits.Length is 0 or > 3 || (digits.Length > 1 && digits[0] == '0')
                || !TryParseDigits(digits, 255, out ulong value))
            {
                return false;
            }
            bytes[part++] = (byte)value;
        }
        if (part != 4) return false;
        address = new IPAddress(bytes);
        return true;
    }

    // ---- subnet: <address>/<len> ------------------------------------------------------------

    public static string FormatSubnet(SubnetValue subnet) =>
        FormatAddress(subnet.Network) + "/" + subnet.PrefixLength.ToString(CultureInfo.InvariantCulture);

    public static SubnetValue ParseSubnet(string text)
    {
        var s = text.AsSpan();
        int slash = s.LastIndexOf('/');
        if (slash < 0)
            throw new BrokerJsonException($"malformed subnet {Quote(text)}: expected <address>/<length>");
        if (!TryParseAddress(s[..slash], out var network))
            throw new BrokerJsonException($"malformed subnet {Quote(text)}: malformed address {Quote(s[..slash].ToString())}");
        int max = network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var lengthText = s[(slash + 1)..];
        if (lengthText.Length is 0 or > 3 || !TryParseDigits(lengthText, ulong.MaxValue, out ulong length))
            throw new BrokerJsonException($"malformed subnet {Quote(text)}: prefix length must be a decimal number");
        if (length > (ulong)max)
            throw new BrokerJsonException(
                $"malformed subnet {Quote(text)}: prefix length {length} exceeds {max} for an IPv{(max == 32 ? 4 : 6)} address");
        return new SubnetValue(network, (byte)length);
    }

    // ---- port: <n>/<tcp|udp|icmp|?> ----------------------------------------------------------

    public static string FormatPort(PortValue port) =>
        port.Number.ToString(CultureInfo.InvariantCulture) + "/" + port.Protocol switch
        {
            PortProtocol.Tcp => "tcp",
            PortProtocol.Udp => "udp",
            PortProtocol.Icmp => "icmp",
            PortProtocol.Unknown => "?",
            _ => throw new BrokerJsonException($"port protocol {(byte)port.Protocol} cannot be encoded"),
        };

    public static PortValue ParsePort(string text)
    {
        var s = text.AsSpan();
        int slash = s.IndexOf('/');
        if (slash < 0)
            throw new BrokerJsonException($"malformed port {Quote(text)}: expected <number>/<tcp|udp|icmp|?>");
        var numberText = s[..slash];
        if (numberText.Length is 0 or > 5 || !TryParseDigits(numberText, ushort.MaxValue, out ulong number))
            throw new BrokerJsonException($"malformed port {Quote(text)}: port number must be a decimal number 0..65535");
        PortProtocol protocol = s[(slash + 1)..] switch
        {
            "tcp" => PortProtocol.Tcp,
            "udp" => PortProtocol.Udp,
            "icmp" => PortProtocol.Icmp,
            "?" => PortProtocol.Unknown,
            _ => throw new BrokerJsonException($"malformed port {Quote(text)}: protocol must be tcp, udp, icmp or ?"),
        };
        return new PortValue((ushort)number, protocol);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /// <summary>Non-empty ASCII decimal digits only (no sign, no spaces), value at most <paramref name="max"/>.</summary>
    private static bool TryParseDigits(ReadOnlySpan<char> digits, ulong max, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty) return false;
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c)) return false;
            ulong d = (ulong)(c - '0');
            if (value > (max - d) / 10) return false;
            value = value * 10 + d;
        }
        return true;
    }

    /// <summary>Exactly <c>digits.Length</c> ASCII decimal digits (at most 9).</summary>
    private static bool TryParseFixed(ReadOnlySpan<char> digits, out int value)
    {
        bool ok = TryParseDigits(digits, int.MaxValue, out ulong parsed);
        value = (int)parsed;
        return ok;
    }
}
