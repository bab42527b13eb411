using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ratatouille.Plugins.Storage;

namespace Ratatouille.Plugins;

public static class PluginsServiceCollectionExtensions
{
    /// <summary>Registers the plugin host, connections and extracts over the metadata database.</summary>
    public static IServiceCollection AddRatatouillePlugins(this IServiceCollection services, string databasePath)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        services.AddDbContextFactory<PluginsDbContext>(o => o.UseSqlite(connectionString, s => s.MigrationsHistoryTable(PluginsDbContext.HistoryTable)));
        services.AddOptions<PluginOptions>().BindConfiguration(PluginOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<PluginOptions>, NetworkRangesValidation>();
        services.AddSingleton<NetworkPolicy>();
        services.AddHttpClient(PluginContextFactory.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<NetworkPolicy>().CreateHandler());
        services.AddSingleton<PluginHost>();
        services.AddSingleton<FileSource>();
        services.AddSingleton<PluginContextFactory>();
        services.AddSingleton<RunningExtracts>();
        services.AddSingleton<ConnectionService>();
        services.AddSingleton<ExtractService>();
        return services;
    }

    /// <summary>Migrates the plugin tables, fails runs a stopped process left behind, and starts loading the plugins.</summary>
    public static async Task StartPluginsAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<PluginsDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        await services.GetRequiredService<ExtractService>().RecoverAsync(cancellationToken);

        // Loading plugins does not hold up readiness: it starts once the server accepts requests (so it does
        // not compete with start-up for the CPU), and everything that needs plugins waits for that first scan.
        var host = services.GetRequiredService<PluginHost>();
        var lifetime = services.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
        if (lifetime is { ApplicationStarted.CanBeCanceled: true })
        {
            lifetime.ApplicationStarted.Register(() => host.StartInitialization(lifetime.ApplicationStopping));
        }
        else
        {
            host.StartInitialization(cancellationToken);
        }
    }
}

/// <summary>Refuses to start with a <c>Plugins:Network</c> range that is not CIDR, naming it.</summary>
internal sealed class NetworkRangesValidation : IValidateOptions<PluginOptions>
{
    public ValidateOptionsResult Validate(string? name, PluginOptions options)
    {
        try
        {
            _ = new NetworkPolicy(options.Network);
            return ValidateOptionsResult.Success;
        }
        catch (OptionsValidationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Failures);
        }
    }
}
