using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains;
using BenchmarkDotNet.Toolchains.CsProj;
using BenchmarkDotNet.Toolchains.DotNetCli;

namespace Spillway.Bench;

/// <summary>
/// BenchmarkDotNet's default out-of-process toolchain looks for "&lt;AssemblyName&gt;.csproj"; this project is
/// bench/Bench.csproj with AssemblyName Spillway.Bench, so point the generator at the real project file.
/// Everything else (separate process per benchmark, Release build) is the standard CsProj toolchain.
/// </summary>
internal sealed class BenchProjectGenerator() : CsProjGenerator("net10.0", null!, null!, null!, true)
{
    protected override FileInfo GetProjectFilePath(Type benchmarkTarget, ILogger logger)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = new FileInfo(Path.Combine(dir.FullName, "Bench.csproj"));
            if (candidate.Exists) return candidate;
        }
        return base.GetProjectFilePath(benchmarkTarget, logger);
    }

    public static IToolchain Toolchain { get; } = new Toolchain("net10.0",
        new BenchProjectGenerator(), new DotNetCliBuilder("net10.0", null!), new DotNetCliExecutor(null!));
}
