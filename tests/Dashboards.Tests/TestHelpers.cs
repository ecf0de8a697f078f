namespace Spillway.Dashboards.Tests;

internal static class TestHelpers
{
    public static void AssertNoProblems(IReadOnlyList<string> problems, string what)
    {
        if (problems.Count > 0)
        {
            Assert.Fail($"{what}: {problems.Count} problem(s):\n  - " + string.Join("\n  - ", problems));
        }
    }

    public static void AssertHasProblem(IReadOnlyList<string> problems, string expectedFragment)
    {
        Assert.True(
            problems.Any(p => p.Contains(expectedFragment, StringComparison.Ordinal)),
            $"expected a problem containing '{expectedFragment}', got:\n  - " + string.Join("\n  - ", problems.DefaultIfEmpty("<none>")));
    }
}
