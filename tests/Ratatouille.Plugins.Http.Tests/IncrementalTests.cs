using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http.Tests;

public sealed class IncrementalTests
{
    private readonly Fixture _fixture = new();

    [Fact]
    public async Task SecondRead_SendsTheSavedCursor_AndReturnsOnlyNewRecords()
    {
        var data = new ConcurrentQueue<JsonObject>(Enumerable.Range(1, 3).Select(Fixture.Item));
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (string? since) =>
        {
            var items = data.Where(i => since is null || string.CompareOrdinal(i["updated_at"]!.GetValue<string>(), since) > 0).Select(i => (JsonNode?)i.DeepClone());
            return Results.Content(new JsonArray(items.ToArray()).ToJsonString(), "application/json");
        }));
        var options = Fixture.Options(api, "/items", """ "primaryKey": ["id"], "cursorField": "updated_at", "cursorParameter": "since" """);

        var first = await _fixture.ReadAsync(options, SyncMode.Incremental);
        data.Enqueue(Fixture.Item(4));
        data.Enqueue(Fixture.Item(5));
        api.Requests.Clear();
        var second = await _fixture.ReadAsync(options, SyncMode.Incremental, first.Request.Checkpoint);

        Assert.Equal([1L, 2L, 3L], first.Rows.Select(r => r["id"]));
        Assert.Equal("""{"cursor":"2024-05-03T10:00:00Z"}""", first.Request.Checkpoint!.ToJsonString());
        Assert.Equal([4L, 5L], second.Rows.Select(r => r["id"]));
        Assert.Equal("""{"cursor":"2024-05-05T10:00:00Z"}""", second.Request.Checkpoint!.ToJsonString());
        Assert.Contains(api.Requests, r => r.Parameter("since") == "2024-05-03T10:00:00Z");
        Assert.Equal(first.Schema!.FieldsList.Select(f => f.Name), second.Schema!.FieldsList.Select(f => f.Name));
    }

    [Fact]
    public async Task ApiIgnoringTheCursor_IsFilteredHere()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content(Fixture.Json(Fixture.Items(1, 5)), "application/json")));
        var options = Fixture.Options(api, "/items", """ "cursorField": "id", "cursorParameter": "after_id" """);

        var (rows, request, _) = await _fixture.ReadAsync(options, SyncMode.Incremental, JsonNode.Parse("""{ "cursor": 3 }"""));

        Assert.Equal([4L, 5L], rows.Select(r => r["id"]));
        Assert.Equal("""{"cursor":5}""", request.Checkpoint!.ToJsonString());
        Assert.Contains(api.Requests, r => r.Parameter("after_id") == "3");
        Assert.Contains(_fixture.Context.Logs, l => l.Contains("3 at or before the saved cursor skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NothingNew_KeepsTheSavedCursor()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content(Fixture.Json(Fixture.Items(1, 2)), "application/json")));
        var options = Fixture.Options(api, "/items", """ "cursorField": "updated_at" """);

        var (rows, request, _) = await _fixture.ReadAsync(options, SyncMode.Incremental, JsonNode.Parse("""{ "cursor": "2024-05-02T10:00:00Z" }"""));

        Assert.Empty(rows);
        Assert.Equal("""{"cursor":"2024-05-02T10:00:00Z"}""", request.Checkpoint!.ToJsonString());
    }

    [Fact]
    public async Task TimestampCursor_ComparesInstantsNotText()
    {
        // 11:00+02:00 is 09:00Z: before the saved 10:00Z although its text sorts after it.
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content("""
            [ { "id": 1, "at": "2024-05-01T11:00:00+02:00" }, { "id": 2, "at": "2024-05-01T10:30:00Z" } ]
            """, "application/json")));
        var options = Fixture.Options(api, "/items", """ "cursorField": "at" """);

        var (rows, request, _) = await _fixture.ReadAsync(options, SyncMode.Incremental, JsonNode.Parse("""{ "cursor": "2024-05-01T10:00:00Z" }"""));

        Assert.Equal([2L], rows.Select(r => r["id"]));
        Assert.Equal("""{"cursor":"2024-05-01T10:30:00Z"}""", request.Checkpoint!.ToJsonString());
    }

    [Fact]
    public async Task StateSavedAfterEachBatch()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content(Fixture.Json(Fixture.Items(1, 5)), "application/json")));
        var options = Fixture.Options(api, "/items", """ "cursorField": "id" """);
        var request = new ReadRequest("items", SyncMode.Incremental) { PreferredBatchRows = 2 };

        var checkpoints = new List<string?>();
        await foreach (var batch in _fixture.Connector.ReadAsync(options, request, _fixture.Context, CancellationToken.None))
        {
            batch.Dispose();
            checkpoints.Add(request.Checkpoint?.ToJsonString());
        }

        // The state is saved after the batch was yielded: the consumer sees the previous one while holding it.
        Assert.Equal([null, """{"cursor":2}""", """{"cursor":4}"""], checkpoints);
        Assert.Equal("""{"cursor":5}""", request.Checkpoint!.ToJsonString());
    }

    [Fact]
    public async Task IncrementalWithoutCursorField_IsRefused()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content("[]", "application/json")));

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(Fixture.Options(api, "/items"), SyncMode.Incremental));

        Assert.Contains("no cursor field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnusableState_SaysToRunAFullRefresh()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content(Fixture.Json(Fixture.Items(1, 2)), "application/json")));
        var options = Fixture.Options(api, "/items", """ "cursorField": "id" """);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(options, SyncMode.Incremental, JsonNode.Parse("""{ "cursor": "yesterday" }""")));

        Assert.Contains("full refresh", error.Message, StringComparison.Ordinal);
    }
}
