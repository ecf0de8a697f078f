using System.Diagnostics;
using Xunit.Sdk;

namespace Spillway.Tests.Shared;

/// <summary>
/// The one way the tests wait for something the system reaches asynchronously: poll until it holds, or fail with
/// what was last seen once a generous deadline passes. The deadline bounds a wait for an event on a loaded shared
/// machine; it never asserts speed. ("Nothing happened" is not a wait: bound it by a count or a FakeTimeProvider.)
/// </summary>
internal static class Eventually
{
    /// <summary>Deadline of <see cref="HoldsAsync(Func{bool}, Func{string}, int)"/> unless a test asks for more.</summary>
    public const int DefaultTimeoutSeconds = 30;

    /// <summary>Waits until <paramref name="condition"/> holds; it is cheap, so it is checked every 10 ms.</summary>
    public static Task HoldsAsync(Func<bool> condition, Func<string> describe, int timeoutSeconds = DefaultTimeoutSeconds) =>
        HoldsAsync(() => Task.FromResult(condition()), () => Task.FromResult(describe()), timeoutSeconds, TimeSpan.FromMilliseconds(10));

    /// <summary>
    /// Waits until the asynchronous <paramref name="condition"/> (typically an HTTP request) holds, checked every 50 ms
    /// unless <paramref name="interval"/> says otherwise. An exception from the condition fails the wait at once.
    /// </summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, Func<Task<string>> describe, int timeoutSeconds = DefaultTimeoutSeconds,
        TimeSpan? interval = null)
    {
        var watch = Stopwatch.StartNew();
        var timeout = TimeSpan.FromSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (watch.Elapsed > timeout) Assert.Fail($"not reached within {timeoutSeconds} s: {await describe()}");
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>
    /// Calls <paramref name="probe"/> until it reports done or <paramref name="timeout"/> passes, every 500 ms unless
    /// <paramref name="interval"/> says otherwise (probes of other processes: Prometheus, nodes). The probe returns what
    /// it saw, for the failure message; its exceptions count as "not yet" and are reported if the wait fails, except a
    /// failed assertion, which fails at once. <paramref name="context"/> adds e.g. log paths and tails to the failure.
    /// </summary>
    public static async Task<T> UntilAsync<T>(string expected, TimeSpan timeout, Func<Task<(bool Done, T Value, string Seen)>> probe,
        Func<string>? context = null, TimeSpan? interval = null)
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
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(500));
        }
        throw new XunitException(
            $"Timed out after {watch.Elapsed.TotalSeconds:F0}s ({attempts} attempts) waiting for: {expected}\n" +
            $"Last seen: {seen}\n" + (context is null ? "" : context()));
    }

    /// <inheritdoc cref="UntilAsync{T}"/>
    public static Task UntilAsync(string expected, TimeSpan timeout, Func<Task<(bool Done, string Seen)>> probe,
        Func<string>? context = null, TimeSpan? interval = null) =>
        UntilAsync<bool>(expected, timeout, async () =>
        {
            var (done, seen) = await probe();
            return (done, done, seen);
        }, context, interval);
}
