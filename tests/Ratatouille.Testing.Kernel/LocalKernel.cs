using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ratatouille.Catalog;
using Ratatouille.Query;
using Ratatouille.Storage;

namespace Ratatouille.Testing;

/// <summary>
/// The kernel — local object store, node-local cache, catalog, DuckDB query engine — wired as the server
/// wires it on embedded defaults, without HTTP: one setup for the kernel-level tests and the benchmarks.
/// </summary>
public static class LocalKernel
{
    /// <summary>Registers the kernel over the data folder <paramref name="root"/>, with <paramref name="settings"/> as its configuration.</summary>
    public static IServiceCollection AddLocalKernel(this IServiceCollection services, string root, IReadOnlyDictionary<string, string?>? settings = null)
    {
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        var dataDirectory = new DataDirectory(root);
        services.AddSingleton(dataDirectory);
        var store = new LocalObjectStore(root);
        services.AddSingleton<IObjectStore>(store);
        services.AddSingleton(new LocalFiles(store, dataDirectory.CacheFolder, 1 << 30, NullLogger<LocalFiles>.Instance));
        services.AddCatalog(dataDirectory.MetadataDatabase);
        services.AddQueryEngine();
        return services;
    }

    /// <summary>What the server does at start for the kernel: metadata in WAL mode, migrations, the DuckDB sandbox.</summary>
    public static async Task InitializeLocalKernelAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var metadata = services.GetRequiredService<MetadataStore>();
        await metadata.EnableWriteAheadLogAsync(cancellationToken);
        await metadata.MigrateAsync(cancellationToken);
        await services.GetRequiredService<QueryEngine>().InitializeAsync(cancellationToken);
    }
}
