using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Ratatouille.Sdk;
using Ratatouille.Testing;

namespace Ratatouille.Plugins.Tests;

/// <summary>The built-in plugins, loaded from the folder the server ships, load as active, work, and unload completely.</summary>
public sealed class BuiltInPluginTests
{
    private static string BuiltIns => Path.Combine(RepositoryPaths.Root, "artifacts", "plugins", RepositoryPaths.Configuration);

    [Fact]
    public async Task Each_built_in_plugin_is_active_works_and_unloads_completely()
    {
        var import = RepositoryPaths.NewTempFolder("import");
        await File.WriteAllTextAsync(Path.Combine(import, "cities.csv"), "city,people\nLyon,500000\n", TestTimeout.Token);
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(import, "shop.db")};Pooling=False"))
        {
            await db.OpenAsync(TestTimeout.Token);
            await using var command = db.CreateCommand();
            command.CommandText = "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items (name) VALUES ('a'), ('b');";
            await command.ExecuteNonQueryAsync(TestTimeout.Token);
        }

        await using var kernel = await PluginKernel.StartAsync([], new Dictionary<string, string?>
        {
            ["Plugins:BuiltInFolder"] = BuiltIns,
            ["Plugins:ImportRoots:0"] = import,
        });

        var plugins = kernel.Host.List();
        foreach (var id in new[] { "files", "http", "postgres", "sqlite" })
        {
            var plugin = Assert.Single(plugins, p => p.Id == id);
            Assert.True(plugin.Status == PluginStatus.Active, $"{id}: {plugin.Status} {plugin.Reason}");
            Assert.Equal(PluginSource.BuiltIn, plugin.Source);
        }

        // Use the ones that need no outside server, through connections like a user would.
        await kernel.Connections.CreateAsync(new ConnectionRequest("cities", "files", null, new JsonObject { ["path"] = "cities.csv" }), PluginKernel.Editor, TestTimeout.Token);
        await kernel.Connections.CreateAsync(new ConnectionRequest("shop", "sqlite", null, new JsonObject { ["path"] = Path.Combine(import, "shop.db") }), PluginKernel.Editor, TestTimeout.Token);
        foreach (var (connection, stream, rows) in new[] { ("cities", "cities", 1), ("shop", "items", 2) })
        {
            var check = await kernel.Connections.TestAsync(connection, TestTimeout.Token);
            Assert.True(check.Success, check.Message);
            var (_, completion) = await kernel.Extracts.StartAsync(connection, new ExtractRequest(stream, $"bronze.{connection}", "full", null), PluginKernel.Editor, TestTimeout.Token, TestTimeout.Token);
            var run = await completion;
            Assert.True(run.Status == ExtractService.Succeeded, run.Error);
            Assert.Equal(rows, run.Rows);
        }

        foreach (var plugin in kernel.Host.List().Where(p => p.Source == PluginSource.BuiltIn))
        {
            var context = DisableAndTrack(kernel.Host, plugin.Id, plugin.Version);
            Assert.True(await CollectedAsync(context), $"built-in plugin {plugin.Id} {plugin.Version} stayed in memory after it was disabled");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference DisableAndTrack(PluginHost host, string id, string version)
    {
        var reference = host.LoadContextOf(id, version) ?? throw new InvalidOperationException($"{id} {version} is not loaded");
        host.DisableAsync(id, version, "tester", TestTimeout.Token).GetAwaiter().GetResult();
        return reference;
    }

    private static async Task<bool> CollectedAsync(WeakReference reference)
    {
        for (var i = 0; i < 40 && reference.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            await Task.Delay(100);
        }

        return !reference.IsAlive;
    }
}
