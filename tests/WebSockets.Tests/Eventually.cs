namespace Spillway.WebSockets.Tests;

/// <summary>Polls a condition that the system reaches asynchronously; fails with a description on the deadline.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, Func<string> describe, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not reached within {timeoutSeconds} s: {describe()}");
            await Task.Delay(10);
        }
    }
}
