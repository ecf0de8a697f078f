using System.Diagnostics;
using Xunit.Sdk;

namespace Spillway.EndToEnd.Tests;

/// <summary>Bounded waits: every wait in these tests polls until a condition holds or a deadline passes.</summary>
public static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Calls <paramref name="probe"/> until it reports done or <paramref name="timeout"/> passes. The probe returns
    /// what it saw (for the failure message); exceptions count as "not yet" and are reported if the wait fails.
    /// <paramref name="context"/> adds e.g. log paths and tails to the failure message.
    /// </summary>
    public static async Task<T> UntilAsync<T>(string expected, TimeSpan timeout, Func<Task<(bool Done, T Value, string Seen)>> probe,
        Func<string>? context = null)
    {
        var watch = Stopwatch.StartNew();
        var seen = "(nothing yet)";
        var attempts = 0;
        while (true)
        {
            attempts++;
            try
            {
                var (done, value, s) = await probe();
                if (done) return value;
                seen = s;
            }
            catch (Exception e) when (e is not XunitException)
            {
                seen = $"{e.GetType().Name}: {e.Message}";
            }
            if (watch.Elapsed >= timeout) break;
            await Task.Delay(Interval);
        }
        throw new XunitException(
            $"Timed out after {watch.Elapsed.TotalSeconds:F0}s ({attempts} attempts) waiting for: {expected}\n" +
            $"Last seen: {seen}\n" + (context is null ? "" : context()));
    }

    public static Task UntilAsync(string expected, TimeSpan timeout, Func<Task<(bool Done, string Seen)>> probe, Func<string>? context = null) =>
        UntilAsync<bool>(expected, timeout, async () =>
        {
            var (done, seen) = await probe();
            return (done, done, seen);
        }, context);
}
