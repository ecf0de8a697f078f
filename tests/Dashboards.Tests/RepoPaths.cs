namespace Spillway.Dashboards.Tests;

/// <summary>Locates the repository root (the folder holding Telemetry.sln) and the monitoring files.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    public static string Root => RootLazy.Value;
    public static string PrometheusConfig => Path.Combine(Root, "prometheus.yml");
    public static string DashboardsDir => Path.Combine(Root, "dashboards");
    public static string Dashboard => Path.Combine(DashboardsDir, "spillway.json");
    public static string AlertRules => Path.Combine(DashboardsDir, "alerts", "spillway-alerts.yml");
    public static string AlertTests => Path.Combine(DashboardsDir, "alerts", "spillway-alerts.test.yml");
    public static string Runbook => Path.Combine(DashboardsDir, "runbook.md");
    public static string CheckScript => Path.Combine(DashboardsDir, "check.sh");

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Telemetry.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"Could not find the repository root (a folder containing Telemetry.sln) above '{AppContext.BaseDirectory}'.");
    }
}
