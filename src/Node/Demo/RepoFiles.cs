namespace Spillway.Node.Demo;

/// <summary>
/// Finds the repository's monitoring files for the demo: searched upwards from the current directory (as in
/// <c>dotnet run --project src/Node -- demo</c> from the repository root) and from this executable's folder (a build
/// inside the repository). Null when the demo runs outside a checkout.
/// </summary>
internal static class RepoFiles
{
    public const string AlertRules = "dashboards/alerts/spillway-alerts.yml";
    public const string AlertmanagerConfig = "dashboards/alertmanager.yml";

    public static string? Find(string relativePath)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
