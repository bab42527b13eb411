using System.Runtime.CompilerServices;
using Ratatouille.Sdk;
using Ratatouille.Testing;

namespace Ratatouille.Plugins.Tests;

public sealed class PluginHostTests
{
    private static readonly (string, string)[] AllFixtures =
    [
        ("fixture-numbers", "1.0.0"), ("fixture-numbers", "2.0.0"), ("fixture-broken", "1.0.0"),
        ("fixture-ctor", "1.0.0"), ("fixture-future", "1.0.0"), ("fixture-nocontract", "1.0.0"),
    ];

    [Fact]
    public async Task Each_plugin_gets_a_status_with_its_reason()
    {
        await using var kernel = await PluginKernel.StartAsync(AllFixtures);
        var plugins = kernel.Host.List().ToDictionary(p => (p.Id, p.Version));

        Assert.Equal(PluginStatus.Active, plugins[("fixture-numbers", "2.0.0")].Status);
        Assert.Equal(PluginStatus.Superseded, plugins[("fixture-numbers", "1.0.0")].Status);
        Assert.Contains("2.0.0", plugins[("fixture-numbers", "1.0.0")].Reason);
        Assert.Equal(PluginStatus.Active, plugins[("fixture-broken", "1.0.0")].Status);

        var ctor = plugins[("fixture-ctor", "1.0.0")];
        Assert.Equal(PluginStatus.Faulted, ctor.Status);
        Assert.Contains("constructor", ctor.Reason);
        Assert.Contains("cannot start without a license file", ctor.Reason);

        var future = plugins[("fixture-future", "1.0.0")];
        Assert.Equal(PluginStatus.Incompatible, future.Status);
        Assert.Contains("[2.0.0, 3.0.0)", future.Reason);
        Assert.Contains(SdkInfo.Version, future.Reason);

        var noContract = plugins[("fixture-nocontract", "1.0.0")];
        Assert.Equal(PluginStatus.Incompatible, noContract.Status);
        Assert.Contains("does not implement IConnector", noContract.Reason);

        // Refused plugins offer nothing; the others do.
        var connectors = kernel.Host.Components(PluginKind.Connector).Select(c => c.Id).ToList();
        Assert.Contains("numbers", connectors);
        Assert.Contains("throws-on-read", connectors);
        Assert.DoesNotContain("ctor-throws", connectors);
        Assert.DoesNotContain("not-a-connector", connectors);
    }

    [Fact]
    public async Task Two_versions_load_side_by_side_with_their_own_dependencies_and_pins_choose_one()
    {
        await using var kernel = await PluginKernel.StartAsync([("fixture-numbers", "1.0.0"), ("fixture-numbers", "2.0.0")]);

        using (var newest = kernel.Host.Acquire(PluginKind.Connector, "numbers", null))
        using (var pinned = kernel.Host.Acquire(PluginKind.Connector, "numbers", "1.0.0"))
        {
            Assert.Equal("2.0.0", newest.Component.PluginVersion);
            Assert.Equal("1.0.0", pinned.Component.PluginVersion);
            Assert.NotSame(newest.Instance.GetType().Assembly, pinned.Instance.GetType().Assembly);
        }

        // Each version reads with the Humanizer major it shipped with.
        var v1 = await ReadAllAsync(kernel, "1.0.0");
        var v2 = await ReadAllAsync(kernel, "2.0.0");
        Assert.Equal("v1", v1[0]["generation"]);
        Assert.StartsWith("2.", (string)v1[0]["library"]!);
        Assert.Equal("v2", v2[0]["generation"]);
        Assert.StartsWith("3.", (string)v2[0]["library"]!);
        Assert.Equal("III", v1[2]["words"]);
    }

    [Fact]
    public async Task Disable_unloads_the_context_and_enable_brings_it_back_and_the_choice_survives_a_restart()
    {
        var root = RepositoryPaths.NewTempFolder("plugins-restart");
        await using (var kernel = await PluginKernel.StartAsync([("fixture-numbers", "1.0.0")], root: root))
        {
            var context = DisableAndTrack(kernel.Host, "fixture-numbers", "1.0.0");
            Assert.True(await CollectedAsync(context), "the plugin's load context was not collected after disable");
            Assert.Equal(PluginStatus.Disabled, kernel.Host.Get("fixture-numbers", "1.0.0")!.Status);
            var refused = Assert.Throws<PluginOperationException>(() => kernel.Host.Acquire(PluginKind.Connector, "numbers", null));
            Assert.Equal(PluginErrorKind.NotFound, refused.Kind);
        }

        await using (var kernel = await PluginKernel.StartAsync([], root: root))
        {
            Assert.Equal(PluginStatus.Disabled, kernel.Host.Get("fixture-numbers", "1.0.0")!.Status);
            var enabled = await kernel.Host.EnableAsync("fixture-numbers", "1.0.0", "tester", TestTimeout.Token);
            Assert.Equal(PluginStatus.Active, enabled.Status);
            Assert.Equal(5, (await ReadAllAsync(kernel, null, count: 5)).Count);
        }
    }

    [Fact]
    public async Task Every_fixture_plugin_unloads_completely()
    {
        await using var kernel = await PluginKernel.StartAsync([("fixture-numbers", "1.0.0"), ("fixture-numbers", "2.0.0"), ("fixture-broken", "1.0.0")]);
        await ReadAllAsync(kernel, "1.0.0");
        await ReadAllAsync(kernel, "2.0.0");
        foreach (var (id, version) in new[] { ("fixture-numbers", "1.0.0"), ("fixture-numbers", "2.0.0"), ("fixture-broken", "1.0.0") })
        {
            var context = DisableAndTrack(kernel.Host, id, version);
            Assert.True(await CollectedAsync(context), $"{id} {version} stayed in memory after it was disabled");
        }
    }

    [Fact]
    public async Task An_operation_in_flight_keeps_its_plugin_until_it_ends()
    {
        await using var kernel = await PluginKernel.StartAsync([("fixture-numbers", "1.0.0")]);
        ComponentLease? lease = kernel.Host.Acquire(PluginKind.Connector, "numbers", null);
        var context = DisableAndTrack(kernel.Host, "fixture-numbers", "1.0.0");
        Assert.False(await CollectedAsync(context, attempts: 3), "unloaded while an operation still used it");
        lease.Dispose();
        lease = null;
        Assert.True(await CollectedAsync(context), "not unloaded after the last operation ended");
    }

    [Fact]
    public async Task Rescan_picks_up_a_new_version_without_a_restart_and_forgets_removed_folders()
    {
        await using var kernel = await PluginKernel.StartAsync([("fixture-numbers", "1.0.0")]);
        Assert.Equal("1.0.0", kernel.Host.Components(PluginKind.Connector).Single(c => c.Id == "numbers").PluginVersion);

        var folder = RepositoryPaths.InstallTestPlugin(kernel.Root, "fixture-numbers", "2.0.0");
        await kernel.Host.RescanAsync(TestTimeout.Token);
        Assert.Equal("2.0.0", kernel.Host.Components(PluginKind.Connector).Single(c => c.Id == "numbers").PluginVersion);
        Assert.Equal(PluginStatus.Superseded, kernel.Host.Get("fixture-numbers", "1.0.0")!.Status);

        await kernel.Host.RemoveAsync("fixture-numbers", "2.0.0", TestTimeout.Token);
        Assert.False(Directory.Exists(folder));
        Assert.Null(kernel.Host.Get("fixture-numbers", "2.0.0"));
        Assert.Equal(PluginStatus.Active, kernel.Host.Get("fixture-numbers", "1.0.0")!.Status);
    }

    [Fact]
    public async Task A_broken_manifest_is_reported_not_fatal()
    {
        var root = RepositoryPaths.NewTempFolder("plugins-manifest");
        var bad = Path.Combine(root, "plugins", "bad-manifest", "1.0.0");
        Directory.CreateDirectory(bad);
        await File.WriteAllTextAsync(Path.Combine(bad, SdkInfo.ManifestFileName), "{ not json");
        var missing = Path.Combine(root, "plugins", "no-assembly", "1.0.0");
        Directory.CreateDirectory(missing);
        await File.WriteAllTextAsync(Path.Combine(missing, SdkInfo.ManifestFileName),
            """{"id":"no-assembly","version":"1.0.0","kinds":["connector"],"sdk":"[1.0.0, 2.0.0)","assembly":"Missing.dll"}""");

        await using var kernel = await PluginKernel.StartAsync([("fixture-numbers", "1.0.0")], root: root);
        var plugins = kernel.Host.List().ToDictionary(p => p.Id);
        Assert.Equal(PluginStatus.Incompatible, plugins["bad-manifest"].Status);
        Assert.Contains("cannot be read", plugins["bad-manifest"].Reason);
        Assert.Equal(PluginStatus.Faulted, plugins["no-assembly"].Status);
        Assert.Contains("Missing.dll", plugins["no-assembly"].Reason);
        Assert.Equal(PluginStatus.Active, plugins["fixture-numbers"].Status);
    }

    internal static async Task<List<IReadOnlyDictionary<string, object?>>> ReadAllAsync(PluginKernel kernel, string? version, int count = 10)
    {
        using var lease = kernel.Host.Acquire(PluginKind.Connector, "numbers", version);
        var connector = (IConnector)lease.Instance;
        var options = OptionsSchema.Bind(connector.OptionsType, new System.Text.Json.Nodes.JsonObject { ["count"] = count, ["batchRows"] = 4 });
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        await foreach (var batch in connector.ReadAsync(options, new ReadRequest("numbers", SyncMode.Full), new Ratatouille.Sdk.Testing.TestPluginContext(), TestTimeout.Token))
        {
            using (batch)
            {
                rows.AddRange(Ratatouille.Sdk.Testing.ArrowValues.Rows(batch));
            }
        }

        return rows;
    }

    // Not inlined: the strong references to the plugin must not outlive this frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference DisableAndTrack(PluginHost host, string id, string version)
    {
        var reference = host.LoadContextOf(id, version) ?? throw new InvalidOperationException($"{id} {version} is not loaded");
        host.DisableAsync(id, version, "tester", TestTimeout.Token).GetAwaiter().GetResult();
        return reference;
    }

    private static async Task<bool> CollectedAsync(WeakReference reference, int attempts = 40)
    {
        for (var i = 0; i < attempts && reference.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            await Task.Delay(100);


        }

        return !reference.IsAlive;
    }
}
