using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Ratatouille.Query;
using Ratatouille.Security;
using Ratatouille.Testing;

namespace Ratatouille.Plugins.Tests;

public sealed class ConnectionTests
{
    private static readonly (string, string)[] Fixtures = [("fixture-numbers", "1.0.0"), ("fixture-numbers", "2.0.0"), ("fixture-broken", "1.0.0")];

    [Fact]
    public async Task Secret_options_live_in_the_secret_store_and_are_never_returned()
    {
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        var created = await kernel.Connections.CreateAsync(Request("nums", new JsonObject
        {
            ["count"] = 3,
            ["token"] = "open-sesame",
            ["nested"] = new JsonObject { ["password"] = "hunter2-very-secret", ["label"] = "x" },
        }), PluginKernel.Editor, TestTimeout.Token);

        Assert.Equal(SecretStore.Mask, created.Config["token"]!.GetValue<string>());
        Assert.Equal(SecretStore.Mask, created.Config["nested"]!["password"]!.GetValue<string>());
        Assert.Equal(["nested.password", "token"], created.SecretPaths.Order().ToList());
        Assert.Equal("open-sesame", await kernel.Secrets.RevealAsync("connection.nums.token", TestTimeout.Token));
        Assert.DoesNotContain("hunter2-very-secret", await DumpDatabaseAsync(kernel));

        // The mask keeps the stored value; the check sees the real one.
        var updated = await kernel.Connections.UpdateAsync("nums", Request("nums", new JsonObject
        {
            ["count"] = 4,
            ["token"] = SecretStore.Mask,
            ["nested"] = new JsonObject { ["password"] = SecretStore.Mask },
        }), PluginKernel.Editor, TestTimeout.Token);
        Assert.Equal(4, updated.Config["count"]!.GetValue<int>());
        var test = await kernel.Connections.TestAsync("nums", TestTimeout.Token);
        Assert.True(test.Success, test.Message);
        Assert.Contains("password set", test.Message);

        // A new value replaces it; leaving it out removes it.
        await kernel.Connections.UpdateAsync("nums", Request("nums", new JsonObject { ["token"] = "wrong" }), PluginKernel.Editor, TestTimeout.Token);
        var failed = await kernel.Connections.TestAsync("nums", TestTimeout.Token);
        Assert.False(failed.Success);
        Assert.Equal("The token is wrong.", failed.Message);
        await Assert.ThrowsAsync<SecurityException>(() => kernel.Secrets.RevealAsync("connection.nums.nested.password", TestTimeout.Token));

        await kernel.Connections.DeleteAsync("nums", PluginKernel.Editor, TestTimeout.Token);
        await Assert.ThrowsAsync<SecurityException>(() => kernel.Secrets.RevealAsync("connection.nums.token", TestTimeout.Token));
    }

    [Fact]
    public async Task Bad_configuration_is_refused_with_every_problem_named()
    {
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        var invalid = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Connections.CreateAsync(
            Request("nums", new JsonObject { ["count"] = "many", ["colour"] = "red", ["batchRows"] = 0 }), PluginKernel.Editor, TestTimeout.Token));
        Assert.Equal(PluginErrorKind.Invalid, invalid.Kind);
        Assert.Contains(invalid.Errors, e => e.Contains("'count'") && e.Contains("whole number"));
        Assert.Contains(invalid.Errors, e => e.Contains("'colour'") && e.Contains("unknown option"));

        var range = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Connections.CreateAsync(
            Request("nums", new JsonObject { ["batchRows"] = 0 }), PluginKernel.Editor, TestTimeout.Token));
        Assert.Contains(range.Errors, e => e.Contains("'batchRows'") && e.Contains("between 1 and"));

        var unknown = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Connections.CreateAsync(
            new ConnectionRequest("x", "no-such-connector", null, []), PluginKernel.Editor, TestTimeout.Token));
        Assert.Equal(PluginErrorKind.NotFound, unknown.Kind);

        var badName = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Connections.CreateAsync(
            Request("Bad Name!", []), PluginKernel.Editor, TestTimeout.Token));
        Assert.Equal(PluginErrorKind.Invalid, badName.Kind);
        var reserved = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Connections.CreateAsync(Request("new", []), PluginKernel.Editor, TestTimeout.Token));
        Assert.Contains("reserved", reserved.Message);

        await kernel.Connections.CreateAsync(Request("nums", []), PluginKernel.Editor, TestTimeout.Token);
        var twice = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Connections.CreateAsync(Request("nums", []), PluginKernel.Editor, TestTimeout.Token));
        Assert.Equal(PluginErrorKind.Conflict, twice.Kind);
    }

    [Fact]
    public async Task Full_and_incremental_extracts_land_in_bronze_and_the_state_moves_only_with_a_commit()
    {
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        await kernel.Connections.CreateAsync(Request("nums", new JsonObject { ["count"] = 20, ["batchRows"] = 5, ["failAfter"] = 12 }), PluginKernel.Editor, TestTimeout.Token);

        // Fails after 12 rows (two batches were yielded and checkpointed): nothing committed, no state saved.
        var failed = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        Assert.Equal(ExtractService.Failed, failed.Status);
        Assert.Contains("the source went away after 12 rows", failed.Error);
        Assert.Null(await kernel.Extracts.GetStateAsync("nums", "numbers", "bronze.nums", TestTimeout.Token));
        await Assert.ThrowsAsync<QueryException>(() => CountAsync(kernel, "bronze.nums"));

        await kernel.Connections.UpdateAsync("nums", Request("nums", new JsonObject { ["count"] = 20, ["batchRows"] = 5 }), PluginKernel.Editor, TestTimeout.Token);
        var first = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        Assert.Equal(ExtractService.Succeeded, first.Status);
        Assert.Equal(20, first.Rows);
        Assert.Equal(20, (await kernel.Extracts.GetStateAsync("nums", "numbers", "bronze.nums", TestTimeout.Token))!["last"]!.GetValue<long>());

        await kernel.Connections.UpdateAsync("nums", Request("nums", new JsonObject { ["count"] = 26, ["batchRows"] = 5 }), PluginKernel.Editor, TestTimeout.Token);
        var second = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        Assert.Equal(6, second.Rows);
        Assert.Equal(26, await CountAsync(kernel, "bronze.nums"));
        Assert.Equal(26, await CountAsync(kernel, "(SELECT DISTINCT id FROM bronze.nums)"));

        // Nothing new: no new snapshot.
        var third = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        Assert.Equal(ExtractService.Succeeded, third.Status);
        Assert.Equal(0, third.Rows);
        Assert.Equal(second.SnapshotId, third.SnapshotId);

        // A full refresh replaces.
        var full = await ExtractAsync(kernel, "nums", "bronze.nums", "full");
        Assert.Equal(26, full.Rows);
        Assert.Equal(26, await CountAsync(kernel, "bronze.nums"));

        var runs = await kernel.Extracts.ListRunsAsync("nums", 10, TestTimeout.Token);
        Assert.Equal(5, runs.Count);
        Assert.Equal(ExtractService.Failed, runs[^1].Status);
    }

    [Fact]
    public async Task A_full_refresh_records_the_position_so_incremental_runs_continue_after_it()
    {
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        await kernel.Connections.CreateAsync(Request("nums", new JsonObject { ["count"] = 10 }), PluginKernel.Editor, TestTimeout.Token);
        Assert.Equal(10, (await ExtractAsync(kernel, "nums", "bronze.nums", "full")).Rows);

        await kernel.Connections.UpdateAsync("nums", Request("nums", new JsonObject { ["count"] = 12 }), PluginKernel.Editor, TestTimeout.Token);
        Assert.Equal(2, (await ExtractAsync(kernel, "nums", "bronze.nums", "incremental")).Rows);
        Assert.Equal(12, await CountAsync(kernel, "bronze.nums"));
        Assert.Equal(12, await CountAsync(kernel, "(SELECT DISTINCT id FROM bronze.nums)"));

        // Deleting the dataset forgets the position: the next incremental run loads everything, skipping nothing.
        await kernel.Catalog.DeleteAsync(Ratatouille.Catalog.Model.DatasetName.Parse("bronze.nums"), TestTimeout.Token);
        Assert.Equal(12, (await ExtractAsync(kernel, "nums", "bronze.nums", "incremental")).Rows);
    }

    [Fact]
    public async Task A_run_keeps_its_log_with_what_the_platform_did_and_what_the_plugin_said_secrets_masked()
    {
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        await kernel.Connections.CreateAsync(Request("nums", new JsonObject { ["count"] = 20, ["batchRows"] = 5, ["token"] = "open-sesame" }), PluginKernel.Editor, TestTimeout.Token);

        var run = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        var (entries, running) = await kernel.Extracts.GetRunLogAsync("nums", run.Id, TestTimeout.Token);

        Assert.False(running);
        var text = string.Join("\n", entries.Select(e => $"{e.Level} {e.Source}: {e.Message}"));
        Assert.Contains("information platform: tester started extracting 'numbers' into bronze.nums (incremental, fixture-numbers", text);
        Assert.Contains("Reading 'numbers' from the start", text);
        Assert.Contains($"information plugin: Reading numbers 1 to 20 with token {SecretStore.Mask}", text);
        Assert.Contains($"Committed 20 rows to bronze.nums as snapshot {run.SnapshotId}", text);
        Assert.DoesNotContain("open-sesame", text);

        // A failed run says why in its log; the next run says where it resumes.
        await kernel.Connections.UpdateAsync("nums", Request("nums", new JsonObject { ["count"] = 40, ["batchRows"] = 5, ["failAfter"] = 7, ["token"] = SecretStore.Mask }), PluginKernel.Editor, TestTimeout.Token);
        var failed = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        var failedLog = (await kernel.Extracts.GetRunLogAsync("nums", failed.Id, TestTimeout.Token)).Entries;
        Assert.Contains(failedLog, e => e.Source == "platform" && e.Message.Contains("Resuming 'numbers' from its position {\"last\":20}"));
        Assert.Contains(failedLog, e => e.Level == "error" && e.Message.Contains("the source went away after 7 rows"));

        // Lists of runs stay light; the secret never reached the database, logs included.
        Assert.Equal(2, (await kernel.Extracts.ListRunsAsync("nums", 10, TestTimeout.Token)).Count);
        Assert.DoesNotContain("open-sesame", await DumpDatabaseAsync(kernel));
        var missing = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Extracts.GetRunLogAsync("nums", "nope", TestTimeout.Token));
        Assert.Equal(PluginErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task Rows_of_the_stream_whose_position_is_unknown_refuse_an_incremental_run_instead_of_loading_them_twice()
    {
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        var name = Ratatouille.Catalog.Model.DatasetName.Parse("bronze.nums");
        await kernel.Connections.CreateAsync(Request("nums", new JsonObject { ["count"] = 10 }), PluginKernel.Editor, TestTimeout.Token);
        var first = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        await kernel.Connections.UpdateAsync("nums", Request("nums", new JsonObject { ["count"] = 15 }), PluginKernel.Editor, TestTimeout.Token);
        await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");

        // As for a run from before positions were kept per run.
        var runs = kernel.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Ratatouille.Plugins.Storage.PluginsDbContext>>();
        await using (var db = await runs.CreateDbContextAsync(TestTimeout.Token))
        {
            var row = await db.ExtractRuns.FindAsync([first.Id], TestTimeout.Token);
            row!.StateJson = null;
            await db.SaveChangesAsync(TestTimeout.Token);
        }

        await kernel.Catalog.RollbackAsync(name, first.SnapshotId!.Value, TestTimeout.Token);
        var refused = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        Assert.Equal(ExtractService.Failed, refused.Status);
        Assert.Contains("Run a full extract", refused.Error);
        Assert.Equal(10, await CountAsync(kernel, "bronze.nums"));

        // The full extract it asks for puts things right.
        Assert.Equal(15, (await ExtractAsync(kernel, "nums", "bronze.nums", "full")).Rows);
        Assert.Equal(0, (await ExtractAsync(kernel, "nums", "bronze.nums", "incremental")).Rows);
    }

    [Fact]
    public async Task A_rollback_takes_the_position_back_with_the_rows_so_nothing_is_skipped_or_loaded_twice()
    {
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        var name = Ratatouille.Catalog.Model.DatasetName.Parse("bronze.nums");
        await kernel.Connections.CreateAsync(Request("nums", new JsonObject { ["count"] = 10 }), PluginKernel.Editor, TestTimeout.Token);
        var first = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        await kernel.Connections.UpdateAsync("nums", Request("nums", new JsonObject { ["count"] = 15 }), PluginKernel.Editor, TestTimeout.Token);
        await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        await kernel.Connections.UpdateAsync("nums", Request("nums", new JsonObject { ["count"] = 18 }), PluginKernel.Editor, TestTimeout.Token);
        var third = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        Assert.Equal(18, await CountAsync(kernel, "bronze.nums"));

        // Back to the first run's snapshot: the position goes back to where those rows end.
        await kernel.Catalog.RollbackAsync(name, first.SnapshotId!.Value, TestTimeout.Token);
        Assert.Equal(10, await CountAsync(kernel, "bronze.nums"));
        Assert.Equal(10, (await kernel.Extracts.GetStateAsync("nums", "numbers", "bronze.nums", TestTimeout.Token))!["last"]!.GetValue<long>());
        var again = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        Assert.Equal(8, again.Rows);
        Assert.Equal(18, await CountAsync(kernel, "bronze.nums"));
        Assert.Equal(18, await CountAsync(kernel, "(SELECT DISTINCT id FROM bronze.nums)"));

        // Forward again to the third run's snapshot (a rollback too): its position comes with it.
        await kernel.Catalog.RollbackAsync(name, third.SnapshotId!.Value, TestTimeout.Token);
        Assert.Equal(18, (await kernel.Extracts.GetStateAsync("nums", "numbers", "bronze.nums", TestTimeout.Token))!["last"]!.GetValue<long>());
        Assert.Equal(0, (await ExtractAsync(kernel, "nums", "bronze.nums", "incremental")).Rows);
        Assert.Equal(18, await CountAsync(kernel, "(SELECT DISTINCT id FROM bronze.nums)"));

        // The lineage the position follows: the current contents lead back through the rollback to the runs' snapshots.
        var lineage = await kernel.Catalog.GetContentLineageAsync(name, TestTimeout.Token);
        Assert.Equal("rollback", (await kernel.Catalog.ListSnapshotsAsync(name, TestTimeout.Token)).Single(s => s.Id == lineage[0]).Operation);
        Assert.Equal(third.SnapshotId, lineage[1]);
        Assert.Equal(first.SnapshotId, lineage[^1]);
    }

    [Fact]
    public async Task A_state_written_before_a_commit_is_adopted_only_if_the_snapshot_landed()
    {
        // What a process death between the snapshot commit and storing the state leaves behind: a pending
        // state tagged with its run. The next run adopts it when the run's snapshot is in the catalog.
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        await kernel.Connections.CreateAsync(Request("nums", new JsonObject { ["count"] = 20 }), PluginKernel.Editor, TestTimeout.Token);
        var first = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        Assert.Equal(20, first.Rows);

        // The snapshot of run `first` exists: its pending state (last = 25) is adopted, so ids 21..25 are not read again.
        await SetPendingAsync(kernel, first.Id, """{"last":25}""");
        await kernel.Connections.UpdateAsync("nums", Request("nums", new JsonObject { ["count"] = 30 }), PluginKernel.Editor, TestTimeout.Token);
        var second = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        Assert.Equal(5, second.Rows);

        // A run whose snapshot never landed: its pending state is dropped, nothing is skipped.
        await SetPendingAsync(kernel, "0123456789abcdef0123456789abcdef", """{"last":1000}""");
        await kernel.Connections.UpdateAsync("nums", Request("nums", new JsonObject { ["count"] = 32 }), PluginKernel.Editor, TestTimeout.Token);
        var third = await ExtractAsync(kernel, "nums", "bronze.nums", "incremental");
        Assert.Equal(2, third.Rows);
    }

    private static async Task SetPendingAsync(PluginKernel kernel, string runId, string state)
    {
        var factory = kernel.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Ratatouille.Plugins.Storage.PluginsDbContext>>();
        await using var db = await factory.CreateDbContextAsync(TestTimeout.Token);
        var row = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.StreamStates, TestTimeout.Token);
        row.PendingRunId = runId;
        row.PendingStateJson = state;
        await db.SaveChangesAsync(TestTimeout.Token);
    }

    [Fact]
    public async Task A_connection_cannot_be_deleted_under_its_running_extract_and_one_stream_runs_once()
    {
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        await kernel.Connections.CreateAsync(Request("slow", new JsonObject { ["count"] = 5_000_000, ["batchRows"] = 1000 }), PluginKernel.Editor, TestTimeout.Token);
        var (started, completion) = await kernel.Extracts.StartAsync("slow", new ExtractRequest("numbers", "bronze.slow", "full", null), PluginKernel.Editor, CancellationToken.None, TestTimeout.Token);
        var twice = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Extracts.StartAsync("slow", new ExtractRequest("numbers", "bronze.slow", "full", null), PluginKernel.Editor, CancellationToken.None, TestTimeout.Token));
        Assert.Equal(PluginErrorKind.Conflict, twice.Kind);
        var delete = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Connections.DeleteAsync("slow", PluginKernel.Editor, TestTimeout.Token));
        Assert.Equal(PluginErrorKind.Conflict, delete.Kind);
        await kernel.Extracts.CancelAsync(started.Id);
        Assert.Equal(ExtractService.Cancelled, (await completion).Status);
        await kernel.Connections.DeleteAsync("slow", PluginKernel.Editor, TestTimeout.Token);
    }

    [Fact]
    public async Task Option_names_are_matched_exactly()
    {
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        var error = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Connections.CreateAsync(
            Request("nums", new JsonObject { ["Count"] = 3 }), PluginKernel.Editor, TestTimeout.Token));
        Assert.Contains(error.Errors, e => e.Contains("'Count'") && e.Contains("count"));
    }

    [Fact]
    public async Task Extracts_land_in_bronze_only_and_name_the_stream()
    {
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        await kernel.Connections.CreateAsync(Request("nums", []), PluginKernel.Editor, TestTimeout.Token);
        var silver = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Extracts.StartAsync("nums", new ExtractRequest("numbers", "silver.nums", "full", null), PluginKernel.Editor, CancellationToken.None, TestTimeout.Token));
        Assert.Contains("bronze", silver.Message);
        var mode = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Extracts.StartAsync("nums", new ExtractRequest("numbers", "bronze.nums", "sometimes", null), PluginKernel.Editor, CancellationToken.None, TestTimeout.Token));
        Assert.Contains("full or incremental", mode.Message);
        var stream = await ExtractAsync(kernel, "nums", "bronze.nums", "full", stream: "letters");
        Assert.Equal(ExtractService.Failed, stream.Status);
        Assert.Contains("no stream 'letters'", stream.Error);
    }

    [Fact]
    public async Task A_connection_pinned_to_a_version_keeps_using_it()
    {
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        await kernel.Connections.CreateAsync(new ConnectionRequest("old", "numbers", "1.0.0", []), PluginKernel.Editor, TestTimeout.Token);
        await kernel.Connections.CreateAsync(new ConnectionRequest("latest", "numbers", null, []), PluginKernel.Editor, TestTimeout.Token);
        Assert.Equal("1.0.0", (await kernel.Connections.GetAsync("old", TestTimeout.Token)).ResolvedVersion);
        Assert.Equal("2.0.0", (await kernel.Connections.GetAsync("latest", TestTimeout.Token)).ResolvedVersion);

        Assert.Equal("1.0.0", (await ExtractAsync(kernel, "old", "bronze.old", "full")).PluginVersion);
        Assert.Equal("2.0.0", (await ExtractAsync(kernel, "latest", "bronze.latest", "full")).PluginVersion);
        Assert.Equal(10, await CountAsync(kernel, "(SELECT * FROM bronze.old WHERE generation = 'v1')"));
        Assert.Equal(10, await CountAsync(kernel, "(SELECT * FROM bronze.latest WHERE generation = 'v2')"));

        // Disable the pinned version: the connection fails clearly; the other keeps working.
        await kernel.Host.DisableAsync("fixture-numbers", "1.0.0", "tester", TestTimeout.Token);
        var unavailable = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Connections.TestAsync("old", TestTimeout.Token));
        Assert.Contains("1.0.0", unavailable.Message);
        Assert.True((await kernel.Connections.TestAsync("latest", TestTimeout.Token)).Success);
    }

    [Fact]
    public async Task Misbehaving_plugins_fail_their_operation_and_the_kernel_carries_on()
    {
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        foreach (var connector in new[] { "throws-on-read", "hangs-on-read", "bad-batches", "hangs-on-check" })
        {
            await kernel.Connections.CreateAsync(new ConnectionRequest(connector, connector, null, []), PluginKernel.Editor, TestTimeout.Token);
        }

        var threw = await ExtractAsync(kernel, "throws-on-read", "bronze.threw", "full", stream: "items");
        Assert.Equal(ExtractService.Failed, threw.Status);
        Assert.Contains("the fixture broke on purpose while reading", threw.Error);
        Assert.Contains("fixture-broken", threw.Error);

        var started = DateTime.UtcNow;
        var hung = await ExtractAsync(kernel, "hangs-on-read", "bronze.hung", "full", stream: "items");
        Assert.Equal(ExtractService.Failed, hung.Status);
        Assert.Contains("3 s", hung.Error);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "a hung plugin held the extract");

        var garbage = await ExtractAsync(kernel, "bad-batches", "bronze.garbage", "full", stream: "items");
        Assert.Equal(ExtractService.Failed, garbage.Status);
        Assert.Contains("contradicts", garbage.Error);
        Assert.Contains("'id'", garbage.Error);

        var check = await kernel.Connections.TestAsync("hangs-on-check", TestTimeout.Token);
        Assert.False(check.Success);
        Assert.Contains("did not finish", check.Message);

        var discover = await Assert.ThrowsAsync<PluginOperationException>(() => kernel.Connections.DiscoverAsync("hangs-on-check", TestTimeout.Token));
        Assert.Equal(PluginErrorKind.Faulted, discover.Kind);
        Assert.Contains("discovery exploded", discover.Message);

        // None of it left a dataset behind, and a good plugin still works.
        foreach (var dataset in new[] { "bronze.threw", "bronze.hung", "bronze.garbage" })
        {
            await Assert.ThrowsAsync<QueryException>(() => CountAsync(kernel, dataset));
        }

        await kernel.Connections.CreateAsync(Request("nums", []), PluginKernel.Editor, TestTimeout.Token);
        Assert.Equal(ExtractService.Succeeded, (await ExtractAsync(kernel, "nums", "bronze.nums", "full")).Status);
    }

    [Fact]
    public async Task A_running_extract_can_be_cancelled_and_commits_nothing()
    {
        await using var kernel = await PluginKernel.StartAsync(Fixtures);
        await kernel.Connections.CreateAsync(Request("many", new JsonObject { ["count"] = 5_000_000, ["batchRows"] = 1000 }), PluginKernel.Editor, TestTimeout.Token);
        var (started, completion) = await kernel.Extracts.StartAsync("many", new ExtractRequest("numbers", "bronze.many", "full", null), PluginKernel.Editor, CancellationToken.None, TestTimeout.Token);
        for (var i = 0; i < 100 && (await kernel.Extracts.GetRunAsync("many", started.Id, TestTimeout.Token)).Rows == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await kernel.Extracts.CancelAsync(started.Id));
        var run = await completion;
        Assert.Equal(ExtractService.Cancelled, run.Status);
        await Assert.ThrowsAsync<QueryException>(() => CountAsync(kernel, "bronze.many"));
    }

    private static ConnectionRequest Request(string name, JsonObject config) => new(name, "numbers", null, config);

    private static async Task<ExtractRun> ExtractAsync(PluginKernel kernel, string connection, string dataset, string mode, string stream = "numbers")
    {
        var (_, completion) = await kernel.Extracts.StartAsync(connection, new ExtractRequest(stream, dataset, mode, null), PluginKernel.Editor, TestTimeout.Token, TestTimeout.Token);
        return await completion;
    }

    private static async Task<long> CountAsync(PluginKernel kernel, string relation)
    {
        using var output = new MemoryStream();
        await kernel.Engine.RunAsync(new QueryRequest($"SELECT count(*) AS n FROM {relation}"), OutputFormat.Json, output, TestTimeout.Token);
        using var json = System.Text.Json.JsonDocument.Parse(output.ToArray());
        return json.RootElement.GetProperty("rows")[0][0].GetInt64();
    }

    private static async Task<string> DumpDatabaseAsync(PluginKernel kernel)
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.EnumerateFiles(kernel.Root, "ratatouille.db*"))
        {
            var copy = file + ".copy";
            File.Copy(file, copy, overwrite: true);
            text.Append(System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(copy)));
        }

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(kernel.Root, "ratatouille.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"ConfigJson\" FROM connections";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            text.Append(reader.GetString(0));
        }

        return text.ToString();
    }
}
