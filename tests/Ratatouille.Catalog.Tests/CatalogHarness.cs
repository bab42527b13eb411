using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ratatouille.Storage;
using Ratatouille.Testing;

namespace Ratatouille.Catalog.Tests;

/// <summary>A catalog over a real SQLite metadata file and a real local object store, as the server builds it.</summary>
public sealed class CatalogHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CatalogHarness(string root, ServiceProvider services)
    {
        Root = root;
        _services = services;
    }

    public string Root { get; }

    public CatalogService Catalog => _services.GetRequiredService<CatalogService>();

    public LocalObjectStore Store => (LocalObjectStore)_services.GetRequiredService<IObjectStore>();

    public static async Task<CatalogHarness> StartAsync(string? root = null)
    {
        root ??= RepositoryPaths.NewTempFolder("catalog");
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IObjectStore>(new LocalObjectStore(root));
        services.AddCatalog(Path.Combine(root, "ratatouille.db"));
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<MetadataStore>().EnableWriteAheadLogAsync(TestTimeout.Token);
        await provider.GetRequiredService<MetadataStore>().MigrateAsync(TestTimeout.Token);
        return new CatalogHarness(root, provider);
    }

    /// <summary>Writes a fake data file into the store and returns its description.</summary>
    public async Task<Model.DataFileInfo> PutFileAsync(string dataset, long rows)
    {
        var key = $"warehouse/{dataset.Replace('.', '/')}/{Guid.NewGuid():N}.parquet";
        await Store.PutAsync(key, new MemoryStream(new byte[100]), TestTimeout.Token);
        return new Model.DataFileInfo(key, rows, 100);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
