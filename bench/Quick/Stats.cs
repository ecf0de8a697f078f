using System.Globalization;

namespace Spillway.Bench.Quick;

/// <summary>Median and spread of interleaved repetitions, and the number formats of the table.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyList<double> xs)
    {
        if (xs.Count == 0) return double.NaN;
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>"min-max" of the repetitions.</summary>
    public static string Spread(IReadOnlyList<double> xs, Func<double, string> format) =>
        xs.Count == 0 ? "" : xs.Count == 1 ? format(xs[0]) : $"{format(xs.Min())} .. {format(xs.Max())}";

    public static string Rate(double perSecond) => perSecond switch
    {
        >= 1e6 => (perSecond / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " M",
        >= 1e3 => (perSecond / 1e3).ToString("F1", CultureInfo.InvariantCulture) + " k",
        _ => perSecond.ToString("F0", CultureInfo.InvariantCulture),
    };

    public static string Bytes(double perSecond) => perSecond switch
    {
        >= 1e9 => (perSecond / 1e9).ToString("F2", CultureInfo.InvariantCulture) + " GB",
        >= 1e6 => (perSecond / 1e6).ToString("F1", CultureInfo.InvariantCulture) + " MB",
        >= 1e3 => (perSecond / 1e3).ToString("F1", CultureInfo.InvariantCulture) + " kB",
        _ => perSecond.ToString("F0", CultureInfo.InvariantCulture) + " B",
    };

    public static string F(double x, int digits = 1) => x.ToString("F" + digits, CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="x"/> for a verdict <paramref name="met"/> decides: <paramref name="digits"/> decimals, more (up to 4)
    /// when fewer would round it onto the target's other side (24.96% shown as 25.0% beside "missed").
    /// </summary>
    public static string Against(double x, Func<double, bool> met, int digits = 1)
    {
        while (digits < 4 && met(Math.Round(x, digits)) != met(x)) digits++;
        return F(x, digits);
    }
}
