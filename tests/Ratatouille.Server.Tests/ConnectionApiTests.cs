using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ratatouille.Client;
using Ratatouille.Client.Contracts;
using Ratatouille.Testing;
using Refit;

namespace Ratatouille.Server.Tests;

/// <summary>Plugins, connectors, connections and extracts through the REST API, with the built-in Files connector and fixture plugins.</summary>
public sealed class ConnectionApiTests : IClassFixture<ConnectionApiTests.Fixture>
{
    private readonly Fixture _fixture;

    public ConnectionApiTests(Fixture fixture) => _fixture = fixture;

    private IRatatouilleApi Api => _fixture.Factory.Api;

    [Fact]
    public async Task Plugins_list_the_built_in_files_connector_and_installed_fixtures()
    {
        var plugins = await Api.ListPluginsAsync(TestTimeout.Token);
        var files = Assert.Single(plugins, p => p.Id == "files");
        Assert.Equal("active", files.Status);
        Assert.Equal("builtin", files.Source);
        Assert.Equal(["connector"], files.Kinds);
        var numbers = Assert.Single(plugins, p => p.Id == "fixture-numbers");
        Assert.Equal("installed", numbers.Source);

        var connectors = await Api.ListConnectorsAsync(TestTimeout.Token);
        var schema = Assert.Single(connectors, c => c.Id == "numbers").OptionsSchema!;
        Assert.True(schema["properties"]!["token"]!["x-secret"]!.GetValue<bool>());
        Assert.Equal("password", schema["properties"]!["token"]!["format"]!.GetValue<string>());
        Assert.Equal(10, schema["properties"]!["count"]!["default"]!.GetValue<int>());
        Assert.Contains("path", Assert.Single(connectors, c => c.Id == "files").OptionsSchema!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task Files_from_the_import_root_extract_into_bronze_fully_then_incrementally()
    {
        var folder = Path.Combine(_fixture.ImportRoot, "sales");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "2024-01.csv"), "id,amount\n1,10.5\n2,20\n", TestTimeout.Token);
        File.SetLastWriteTimeUtc(Path.Combine(folder, "2024-01.csv"), DateTime.UtcNow.AddMinutes(-5));

        var connection = await Api.CreateConnectionAsync(new ConnectionRequestDto("sales", "files", null, new JsonObject { ["path"] = "sales/*.csv", ["includeFileName"] = true }), TestTimeout.Token);
        Assert.Equal("0.1.0", connection.ResolvedVersion);
        var test = await Api.TestConnectionAsync("sales", TestTimeout.Token);
        Assert.True(test.Success, test.Message);

        var stream = Assert.Single(await Api.ListStreamsAsync("sales", TestTimeout.Token));
        Assert.Equal("sales", stream.Name);
        Assert.Equal(["id", "amount", "_source_file"], stream.Columns.Select(c => c.Name));
        Assert.Equal(["full", "incremental"], stream.SupportedModes);

        var first = await Api.ExtractAsync("sales", new ExtractRequestDto("sales", "bronze.sales", "incremental"), cancellationToken: TestTimeout.Token);
        Assert.Equal("succeeded", first.Status);
        Assert.Equal(2, first.Rows);

        await File.WriteAllTextAsync(Path.Combine(folder, "2024-02.csv"), "id,amount\n3,30\n", TestTimeout.Token);
        var second = await Api.ExtractAsync("sales", new ExtractRequestDto("sales", "bronze.sales", "incremental"), cancellationToken: TestTimeout.Token);
        Assert.True(second.Status == "succeeded", second.Error);
        Assert.Equal(1, second.Rows);
        var rows = await Api.QueryAsync(new QueryRequestDto { Sql = "SELECT id, _source_file FROM bronze.sales ORDER BY id" }, TestTimeout.Token);
        Assert.Equal(3, rows.RowCount);
        Assert.EndsWith("sales/2024-02.csv", rows.Rows[2][1].GetString());

        // Nothing new: no new snapshot.
        var third = await Api.ExtractAsync("sales", new ExtractRequestDto("sales", "bronze.sales", "incremental"), cancellationToken: TestTimeout.Token);
        Assert.True(third.Status == "succeeded", third.Error);
        Assert.Equal(0, third.Rows);
        Assert.Equal(second.SnapshotId, third.SnapshotId);

        var runs = await Api.ListRunsAsync("sales", cancellationToken: TestTimeout.Token);
        Assert.Equal(3, runs.Count);

        // Each run keeps its log: the last one resumed from the second one's position and found nothing new.
        var log = await Api.GetRunLogAsync("sales", third.Id, TestTimeout.Token);
        Assert.False(log.Running);
        Assert.Equal(third.Id, log.RunId);
        Assert.Contains(log.Entries, e => e.Source == "platform" && e.Message.StartsWith("Resuming 'sales' from its position", StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e.Message == $"Nothing new: bronze.sales stays at snapshot {second.SnapshotId}.");
        var missing = await Assert.ThrowsAnyAsync<ApiException>(() => Api.GetRunLogAsync("sales", "no-such-run", TestTimeout.Token));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Files_outside_the_import_root_are_refused()
    {
        await Api.CreateConnectionAsync(new ConnectionRequestDto("escape", "files", null, new JsonObject { ["path"] = "../../etc/passwd" }), TestTimeout.Token);
        var test = await Api.TestConnectionAsync("escape", TestTimeout.Token);
        Assert.False(test.Success);
        Assert.Contains("'..' is not allowed", test.Message);

        await Api.CreateConnectionAsync(new ConnectionRequestDto("absolute", "files", null, new JsonObject { ["path"] = "/etc/passwd" }), TestTimeout.Token);
        var absolute = await Api.TestConnectionAsync("absolute", TestTimeout.Token);
        Assert.False(absolute.Success);
        Assert.Contains("outside the import folders", absolute.Message);

        var streams = await Assert.ThrowsAnyAsync<ApiException>(() => Api.ListStreamsAsync("absolute", TestTimeout.Token));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, streams.StatusCode);
    }

    [Fact]
    public async Task Uploaded_files_in_the_landing_area_can_be_extracted_again()
    {
        using (var content = new MemoryStream("city,people\nLyon,500000\nParis,2100000\n"u8.ToArray()))
        {
            await Api.UploadAsync("bronze", "cities_upload", new StreamPart(content, "cities.csv", "text/csv"), cancellationToken: TestTimeout.Token);
        }

        await Api.CreateConnectionAsync(new ConnectionRequestDto("uploads", "files", null, new JsonObject { ["location"] = "landing", ["path"] = "uploads/**/cities.csv", ["streamName"] = "cities" }), TestTimeout.Token);
        var run = await Api.ExtractAsync("uploads", new ExtractRequestDto("cities", "bronze.cities_again"), cancellationToken: TestTimeout.Token);
        Assert.Equal("succeeded", run.Status);
        Assert.Equal(2, run.Rows);
    }

    [Fact]
    public async Task Secret_options_are_masked_everywhere_and_kept_by_the_mask()
    {
        var created = await Api.CreateConnectionAsync(new ConnectionRequestDto("secretive", "numbers", null, new JsonObject { ["count"] = 3, ["token"] = "open-sesame" }), TestTimeout.Token);
        Assert.Equal("••••••••", created.Config["token"]!.GetValue<string>());
        Assert.Equal(["token"], created.SecretOptions);

        using var raw = _fixture.Factory.CreateAdminClient();
        var text = await raw.GetStringAsync("/api/v1/connections/secretive", TestTimeout.Token);
        Assert.DoesNotContain("open-sesame", text);
        Assert.DoesNotContain("open-sesame", await raw.GetStringAsync("/api/v1/connections", TestTimeout.Token));
        Assert.Contains(await Api.ListSecretsAsync(TestTimeout.Token), s => s.Name == "connection.secretive.token");

        await Api.UpdateConnectionAsync("secretive", new ConnectionRequestDto("secretive", "numbers", null, new JsonObject { ["count"] = 4, ["token"] = "••••••••" }), TestTimeout.Token);
        Assert.True((await Api.TestConnectionAsync("secretive", TestTimeout.Token)).Success);
    }

    [Fact]
    public async Task Bad_requests_get_problem_details_with_the_reason()
    {
        using var client = _fixture.Factory.CreateAdminClient();
        var invalid = await client.PostAsJsonAsync("/api/v1/connections", new { name = "bad", connector = "numbers", config = new { count = "lots", colour = "red" } }, TestTimeout.Token);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = JsonNode.Parse(await invalid.Content.ReadAsStringAsync(TestTimeout.Token))!;
        var errors = problem["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains(errors, e => e.Contains("'count'"));
        Assert.Contains(errors, e => e.Contains("'colour'"));

        var unknown = await client.PostAsJsonAsync("/api/v1/connections", new { name = "bad", connector = "nope", config = new { } }, TestTimeout.Token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var malformed = await client.PostAsync("/api/v1/connections", new StringContent("{ nope", System.Text.Encoding.UTF8, "application/json"), TestTimeout.Token);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("not valid JSON (line 1, position", await malformed.Content.ReadAsStringAsync(TestTimeout.Token));

        // A body of the wrong shape says where.
        var shape = await client.PostAsync("/api/v1/connections",
            new StringContent("""{"name": "x", "connector": "numbers", "config": [1, 2]}""", System.Text.Encoding.UTF8, "application/json"), TestTimeout.Token);
        Assert.Equal(HttpStatusCode.BadRequest, shape.StatusCode);
        var shapeText = await shape.Content.ReadAsStringAsync(TestTimeout.Token);
        Assert.Contains("at $.config", shapeText);
        Assert.DoesNotContain("System.", shapeText);

        await Api.CreateConnectionAsync(new ConnectionRequestDto("target", "numbers", null, []), TestTimeout.Token);
        var silver = await client.PostAsJsonAsync("/api/v1/connections/target/extract", new { stream = "numbers", dataset = "silver.numbers" }, TestTimeout.Token);
        Assert.Equal(HttpStatusCode.BadRequest, silver.StatusCode);
        Assert.Contains("bronze", await silver.Content.ReadAsStringAsync(TestTimeout.Token));

        var missing = await client.PostAsync("/api/v1/connections/nobody/test", null, TestTimeout.Token);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task An_extract_can_run_in_the_background_and_be_polled()
    {
        await Api.CreateConnectionAsync(new ConnectionRequestDto("background", "numbers", null, new JsonObject { ["count"] = 50_000 }), TestTimeout.Token);
        using var client = _fixture.Factory.CreateAdminClient();
        var response = await client.PostAsJsonAsync("/api/v1/connections/background/extract?wait=false", new { stream = "numbers", dataset = "bronze.background", mode = "full" }, TestTimeout.Token);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = await response.Content.ReadFromJsonAsync<ExtractRunDto>(TestTimeout.Token);
        Assert.Equal("running", started!.Status);
        ExtractRunDto run = started;
        for (var i = 0; i < 200 && run.Status == "running"; i++)
        {
            await Task.Delay(100, TestTimeout.Token);
            run = await Api.GetRunAsync("background", started.Id, TestTimeout.Token);
        }

        Assert.Equal("succeeded", run.Status);
        Assert.Equal(50_000, run.Rows);
        var detail = await Api.GetDatasetAsync("bronze", "background", TestTimeout.Token);
        Assert.Equal(50_000, detail.Dataset.RowCount);
    }

    [Fact]
    public async Task A_failing_plugin_fails_its_run_with_the_reason_and_the_server_stays_healthy()
    {
        await Api.CreateConnectionAsync(new ConnectionRequestDto("broken", "throws-on-read", null, []), TestTimeout.Token);
        var run = await Api.ExtractAsync("broken", new ExtractRequestDto("items", "bronze.broken"), cancellationToken: TestTimeout.Token);
        Assert.Equal("failed", run.Status);
        Assert.Contains("broke on purpose", run.Error);
        var log = await Api.GetRunLogAsync("broken", run.Id, TestTimeout.Token);
        Assert.Contains(log.Entries, e => e.Level == "error" && e.Message.Contains("broke on purpose", StringComparison.Ordinal));
        using var client = _fixture.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", TestTimeout.Token)).StatusCode);
    }

    [Fact]
    public async Task A_disabled_plugin_makes_its_connections_fail_clearly_until_enabled()
    {
        await Api.CreateConnectionAsync(new ConnectionRequestDto("toggled", "numbers", null, []), TestTimeout.Token);
        var disabled = await Api.DisablePluginAsync("fixture-numbers", "1.0.0", TestTimeout.Token);
        Assert.Equal("disabled", disabled.Status);
        try
        {
            var error = await Assert.ThrowsAnyAsync<ApiException>(() => Api.TestConnectionAsync("toggled", TestTimeout.Token));
            Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
            Assert.Contains("numbers", error.Content);
        }
        finally
        {
            Assert.Equal("active", (await Api.EnablePluginAsync("fixture-numbers", "1.0.0", TestTimeout.Token)).Status);
        }

        Assert.True((await Api.TestConnectionAsync("toggled", TestTimeout.Token)).Success);
        var audit = await Api.GetAuditAsync(action: "plugin.disable", cancellationToken: TestTimeout.Token);
        Assert.Contains(audit, a => a.Target == "fixture-numbers 1.0.0");
    }

    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            ImportRoot = RepositoryPaths.NewTempFolder("import");
            Factory = new ApiFactory(new Dictionary<string, string?> { ["Plugins:ImportRoots:0"] = ImportRoot });
            RepositoryPaths.InstallTestPlugin(Factory.DataDirectory, "fixture-numbers", "1.0.0");
            RepositoryPaths.InstallTestPlugin(Factory.DataDirectory, "fixture-broken", "1.0.0");
        }

        public string ImportRoot { get; }

        public ApiFactory Factory { get; }

        public void Dispose() => Factory.Dispose();
    }
}
