using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Spillway.Telemetry.Export;

/// <summary>Registers the one <see cref="ScrapeSnapshot"/> the exporters of a host share.</summary>
public static class ScrapeSnapshotServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="ScrapeSnapshot"/> over <paramref name="source"/> unless one is registered already. It logs
    /// through <see cref="ILogger{TCategoryName}"/> and uses the registered <see cref="TimeProvider"/> if any.
    /// </summary>
    public static IServiceCollection AddSpillwayScrapeSnapshot(this IServiceCollection services, ITelemetrySource source)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(source);
        services.TryAddSingleton(sp => new ScrapeSnapshot(
            source,
            sp.GetService<ILogger<ScrapeSnapshot>>(),
            sp.GetService<TimeProvider>()));
        return services;
    }

    /// <summary>Registers <paramref name="snapshot"/> as the shared snapshot (replacing any earlier registration).</summary>
    public static IServiceCollection AddSpillwayScrapeSnapshot(this IServiceCollection services, ScrapeSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(snapshot);
        services.RemoveAll<ScrapeSnapshot>();
        services.AddSingleton(snapshot);
        return services;
    }
}
