using Microsoft.Extensions.Options;
using Ratatouille.Catalog;
using Ratatouille.Plugins;
using Ratatouille.Query;
using Ratatouille.Storage;

namespace Ratatouille.Server.Hosting;

/// <summary>Wires the kernel services into the server from configuration.</summary>
public static class KernelRegistration
{
    /// <summary>Environment variable naming the data directory (default <c>./data</c>).</summary>
    public const string DataDirVariable = "RATATOUILLE_DATA_DIR";

    public static WebApplicationBuilder AddRatatouilleKernel(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var dataDirectory = new DataDirectory(builder.Configuration[DataDirVariable] is { Length: > 0 } dir ? dir : "./data");
        services.AddSingleton(dataDirectory);
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Provider != "s3" || (o.S3.AccessKey.Length > 0 && o.S3.SecretKey.Length > 0 && Uri.IsWellFormedUriString(o.S3.Endpoint, UriKind.Absolute)),
                "Storage:S3 needs Endpoint (an absolute URL), AccessKey and SecretKey when Storage:Provider is 's3'.")
            .ValidateOnStart();
        services.AddOptions<IngestSettings>().BindConfiguration(IngestSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IObjectStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.Provider == "s3"
                ? new S3ObjectStore(options.S3, Path.Combine(dataDirectory.TempFolder, "s3"))
                : new LocalObjectStore(dataDirectory.Root);
        });
        services.AddSingleton(sp => new LocalFiles(
            sp.GetRequiredService<IObjectStore>(),
            dataDirectory.CacheFolder,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.CacheSizeMb * 1024 * 1024,
            sp.GetRequiredService<ILogger<LocalFiles>>()));

        services.AddCatalog(dataDirectory.MetadataDatabase);
        services.AddQueryEngine();
        services.AddRatatouillePlugins(dataDirectory.MetadataDatabase);
        return builder;
    }

    /// <summary>Prepares the kernel before the server accepts requests: scratch space, bucket, metadata migrations, query views.</summary>
    public static async Task StartKernelAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        var services = app.Services;
        services.GetRequiredService<DataDirectory>().CleanTemp();
        if (services.GetRequiredService<IObjectStore>() is S3ObjectStore s3)
        {
            await s3.EnsureBucketAsync(cancellationToken);
        }

        await services.GetRequiredService<MetadataStore>().EnableWriteAheadLogAsync(cancellationToken);

        // The catalog (then the query views) and the security tables are independent: prepare them side by side.
        var security = services.GetRequiredService<Ratatouille.Security.SecurityStore>();
        await Task.WhenAll(
            Task.Run(async () =>
            {
                await services.GetRequiredService<MetadataStore>().MigrateAsync(cancellationToken);
                await services.GetRequiredService<QueryEngine>().InitializeAsync(cancellationToken);
            }, cancellationToken),
            Task.Run(async () =>
            {
                await security.MigrateAsync(cancellationToken);
                await security.BootstrapAdminAsync(
                    app.Configuration[Ratatouille.Security.SecurityStore.AdminUserVariable],
                    app.Configuration[Ratatouille.Security.SecurityStore.AdminPasswordVariable],
                    cancellationToken);
            }, cancellationToken),
            Task.Run(() => services.StartPluginsAsync(cancellationToken), cancellationToken));
    }
}
