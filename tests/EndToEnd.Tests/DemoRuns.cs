using System.Text.RegularExpressions;

namespace Spillway.EndToEnd.Tests;

/// <summary>What every test that runs <c>spillway demo</c> needs: ports clear of anything else, and its logs cleaned up.</summary>
internal static partial class DemoRuns
{
    /// <summary>
    /// A <c>--port-offset</c> that puts every one of <paramref name="ports"/> (the demo's defaults) on a free port
    /// between <paramref name="low"/> and <paramref name="high"/> past them, below the kernel's ephemeral range.
    /// </summary>
    public static int PickFreeOffset(IReadOnlyCollection<int> ports, int low = 10_000, int high = 20_000)
    {
        var random = new Random();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var offset = random.Next(low, high);
            if (ports.All(p => FreePorts.IsFree(p + offset))) return offset;
        }
        throw new InvalidOperationException($"found no port offset with all {ports.Count} demo ports free in 50 attempts");
    }

    /// <summary>Deletes the folder the demo said it kept its logs in ("Logs are kept in DIR"), if it is a demo's folder.</summary>
    public static void DeleteKeptLogs(string demoOutput)
    {
        var kept = KeptLogs().Match(demoOutput);
        if (kept.Success && Path.GetFileName(kept.Groups[1].Value).StartsWith("spillway-demo-", StringComparison.Ordinal) &&
            Directory.Exists(kept.Groups[1].Value))
            Directory.Delete(kept.Groups[1].Value, recursive: true);
    }

    [GeneratedRegex(@"Logs are kept in (\S+)")]
    private static partial Regex KeptLogs();
}
