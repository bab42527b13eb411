using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ratatouille.Catalog;
using Ratatouille.Query;
using Ratatouille.Security;
using Ratatouille.Storage;
using Ratatouille.Testing;

namespace Ratatouille.Plugins.Tests;

/// <summary>The kernel with the plugin host, wired as the server wires it (real DuckDB, SQLite, files), without HTTP.</summary>
public sealed class PluginKernel : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly TestLifetime _lifetime;

    private PluginKernel(ServiceProvider services, TestLifetime lifetime, string root)
    {
        _services = services;
        _lifetime = lifetime;
        Root = root;
    }

    public string Root { get; }

    public PluginHost Host => _services.GetRequiredService<PluginHost>();

    public ConnectionService Connections => _services.GetRequiredService<ConnectionService>();

    public ExtractService Extracts => _services.GetRequiredService<ExtractService>();

    public QueryEngine Engine => _services.GetRequiredService<QueryEngine>();

    public SecretStore Secrets => _services.GetRequiredService<SecretStore>();

    public CatalogService Catalog => _services.GetRequiredService<CatalogService>();

    public IServiceProvider Services => _services;

    public static Actor Editor { get; } = new("tester", Roles.Editor, "127.0.0.1");

    /// <summary>Starts a kernel over <paramref name="root"/> (a new folder when null) with the given fixture plugins installed.</summary>
    public static async Task<PluginKernel> StartAsync(IEnumerable<(string Id, string Version)> plugins, Dictionary<string, string?>? settings = null, string? root = null)
    {
        root ??= RepositoryPaths.NewTempFolder("plugins");
        foreach (var (id, version) in plugins)
        {
            RepositoryPaths.InstallTestPlugin(root, id, version);
        }

        var configuration = new Dictionary<string, string?>
        {
            // No built-ins here: these tests see only the fixtures they install.
            ["Plugins:BuiltInFolder"] = Path.Combine(root, "no-built-ins"),
            ["Plugins:OperationTimeout"] = "00:00:03",
            ["Plugins:ReadIdleTimeout"] = "00:00:03",
        };
        foreach (var (key, value) in settings ?? [])
        {
            configuration[key] = value;
        }

        var services = new ServiceCollection().AddLocalKernel(root, configuration);
        var lifetime = new TestLifetime();
        services.AddSingleton<IHostApplicationLifetime>(lifetime);
        var metadata = new DataDirectory(root).MetadataDatabase;
        services.AddRatatouilleSecurity(metadata, Path.Combine(root, "keys"));
        services.AddRatatouillePlugins(metadata);
        var provider = services.BuildServiceProvider();
        await provider.InitializeLocalKernelAsync(TestTimeout.Token);
        await provider.GetRequiredService<SecurityStore>().MigrateAsync(TestTimeout.Token);
        await provider.StartPluginsAsync(TestTimeout.Token);
        await provider.GetRequiredService<PluginHost>().WaitReadyAsync(TestTimeout.Token);
        return new PluginKernel(provider, lifetime, root);
    }

    public async ValueTask DisposeAsync()
    {
        _lifetime.Stop();
        await _services.DisposeAsync();
    }

    private sealed class TestLifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stop();

        public void Stop() => _stopping.Cancel();
    }
}
