using System.Globalization;

namespace Spillway.Telemetry.Layout;

/// <summary>
/// Durations in a layout file: a non-negative integer directly followed by a unit, <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c>
/// (<c>"250ms"</c>, <c>"10s"</c>, <c>"1m"</c>, <c>"2h"</c>). No spaces, no fractions, lowercase units.
/// </summary>
public static class LayoutDuration
{
    /// <summary>The accepted form, as quoted in error messages.</summary>
    public const string ExpectedForm = "an integer followed by ms, s, m or h, e.g. \"250ms\", \"10s\", \"1m\"";

    /// <summary>Parses a positive duration; on failure <paramref name="problem"/> says why (malformed, not positive, too large).</summary>
    public static bool TryParse(string text, out TimeSpan duration, out string? problem)
    {
        duration = default;
        int unitStart = 0;
        if (unitStart < text.Length && text[unitStart] == '-') unitStart++;
        int digitsStart = unitStart;
        while (unitStart < text.Length && char.IsAsciiDigit(text[unitStart])) unitStart++;
        string unit = text[unitStart..];
        long ticksPerUnit = unit switch
        {
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            _ => 0,
        };
        if (unitStart == digitsStart || ticksPerUnit == 0)
        {
            problem = $"malformed duration '{text}' (expected {ExpectedForm})";
            return false;
        }
        if (!long.TryParse(text.AsSpan(0, unitStart), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long amount))
        {
            problem = $"duration '{text}' is too large";
            return false;
        }
        if (amount <= 0)
        {
            problem = $"duration must be positive, got '{text}'";
            return false;
        }
        if (amount > TimeSpan.MaxValue.Ticks / ticksPerUnit)
        {
            problem = $"duration '{text}' is too large";
            return false;
        }
        duration = TimeSpan.FromTicks(amount * ticksPerUnit);
        problem = null;
        return true;
    }

    /// <summary>Writes <paramref name="duration"/> in the largest unit that represents it exactly (<c>1m</c>, not <c>60s</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive, or not a whole number of milliseconds.</exception>
    public static string Format(TimeSpan duration)
    {
        long ticks = duration.Ticks;
        if (ticks <= 0 || ticks % TimeSpan.TicksPerMillisecond != 0)
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "a layout duration is a positive whole number of milliseconds");
        if (ticks % TimeSpan.TicksPerHour == 0) return Invariant(ticks / TimeSpan.TicksPerHour, "h");
        if (ticks % TimeSpan.TicksPerMinute == 0) return Invariant(ticks / TimeSpan.TicksPerMinute, "m");
        if (ticks % TimeSpan.TicksPerSecond == 0) return Invariant(ticks / TimeSpan.TicksPerSecond, "s");
        return Invariant(ticks / TimeSpan.TicksPerMillisecond, "ms");
    }

    private static string Invariant(long amount, string unit) => amount.ToString(CultureInfo.InvariantCulture) + unit;
}
