using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ratatouille.Catalog.Storage;

namespace Ratatouille.Catalog;

public static class CatalogServiceCollectionExtensions
{
    /// <summary>Registers the metadata store (SQLite file at <paramref name="databasePath"/>) and the catalog.</summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services, string databasePath)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        services.AddDbContextFactory<MetadataDbContext>(o => o.UseSqlite(connectionString));
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CatalogService>();
        services.AddSingleton<MetadataStore>();
        return services;
    }
}
