using System.Reflection;

namespace Spillway.Tests.Shared;

/// <summary>
/// Where things are: the repository root (the folder holding Telemetry.sln), the monitoring files, the
/// <c>spillway</c> executable built in the same configuration as the test assembly, and the Prometheus tools.
/// </summary>
internal static class RepoPaths
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

    /// <summary>
    /// Debug or Release: the folder name two levels above the test assembly
    /// (<c>tests/&lt;Project&gt;/bin/&lt;Configuration&gt;/net10.0/</c>).
    /// </summary>
    public static string Configuration
    {
        get
        {
            var dir = new DirectoryInfo(Path.GetDirectoryName(typeof(RepoPaths).Assembly.Location)!);
            return dir.Parent?.Name ?? throw new InvalidOperationException($"cannot tell the build configuration from {dir.FullName}");
        }
    }

    /// <summary>The target framework folder of the test assembly (net10.0), used for src/Node's output too.</summary>
    public static string TargetFramework => new DirectoryInfo(Path.GetDirectoryName(typeof(RepoPaths).Assembly.Location)!).Name;

    public static string SpillwayDll
    {
        get
        {
            var path = Path.Combine(Root, "src", "Node", "bin", Configuration, TargetFramework, "spillway.dll");
            if (!File.Exists(path))
                throw new InvalidOperationException(
                    $"spillway.dll not found at {path}. Build it in the same configuration as the tests: dotnet build src/Node -c {Configuration}");
            return path;
        }
    }

    /// <summary>The <c>dotnet</c> host running the tests, to run spillway.dll with the same runtime.</summary>
    public static string DotnetHost
    {
        get
        {
            var self = Environment.ProcessPath;
            if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
            var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
            if (root is not null && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
            return "dotnet";
        }
    }

    public static string Prometheus => Tool("prometheus", "PROMETHEUS", "prometheus");
    public static string Promtool => Tool("promtool", "PROMTOOL", "prometheus");
    public static string Alertmanager => Tool("prometheus-alertmanager", "ALERTMANAGER", "prometheus-alertmanager");

    /// <summary>
    /// An installed tool: <c>$<paramref name="variable"/></c>, else the first on PATH, else /usr/bin. A missing tool
    /// fails the test (never a skip): ./test.sh installs them, and a suite that silently checks less is not green.
    /// </summary>
    private static string Tool(string name, string variable, string debianPackage)
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnv) candidates.Add(fromEnv);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            candidates.Add(Path.Combine(dir, name));
        candidates.Add(Path.Combine("/usr/bin", name));
        foreach (var candidate in candidates)
            if (File.Exists(candidate)) return candidate;
        Assert.Fail($"{name} was not found (looked in ${variable}, PATH and /usr/bin). Run ./test.sh, which installs it, " +
                    $"or install it yourself: apt-get install {debianPackage}");
        return ""; // unreachable: Assert.Fail throws
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Telemetry.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException(
            $"Could not find the repository root (a folder containing Telemetry.sln) above '{AppContext.BaseDirectory}'.");
    }
}
