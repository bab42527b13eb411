using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Ratatouille.Sdk;
using Ratatouille.Sdk.Testing;

namespace Ratatouille.Plugins.Http.Tests;

public sealed class ReadTests
{
    private readonly Fixture _fixture = new();

    [Fact]
    public async Task Read_MatchesTheDiscoveredSchema_MissingFieldsNullExtraFieldsIgnored()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (int? page) => Results.Content(page switch
        {
            null or 1 => """[ { "id": 1, "name": "a", "score": 1.5, "seen": "2024-05-01T10:00:00Z" }, { "id": 2, "score": 2 } ]""",
            2 => """[ { "id": 3, "name": "c", "score": 3, "surprise": { "new": true }, "seen": null } ]""",
            _ => "[]",
        }, "application/json")));
        var options = Fixture.Options(api, "/items", """ "pagination": { "type": "pageNumber", "pageSize": 2 } """);

        var result = await _fixture.Harness.ReadAsync(options, "items");

        Assert.Equal(3, result.Rows.Count);
        Assert.Equal(["id", "name", "score", "seen"], result.Rows[0].Keys);
        Assert.Null(result.Rows[1]["name"]);
        Assert.Equal(2.0, result.Rows[1]["score"]);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero), result.Rows[0]["seen"]);
        Assert.Null(result.Rows[2]["seen"]);
        Assert.DoesNotContain("surprise", result.Rows[2].Keys);
    }

    [Fact]
    public async Task Read_WrongTypeOnALaterPage_NamesFieldAndRecord()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (int? page) => Results.Content(page switch
        {
            null or 1 => """[ { "id": 1, "count": 10 }, { "id": 2, "count": 20 } ]""",
            _ => """[ { "id": 3, "count": "many" } ]""",
        }, "application/json")));
        var options = Fixture.Options(api, "/items", """ "primaryKey": ["id"], "pagination": { "type": "pageNumber", "pageSize": 2 } """);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(options));

        Assert.Contains("record 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("page 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("id=3", error.Message, StringComparison.Ordinal);
        Assert.Contains("field 'count'", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"many\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("not an integer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_LosslessCoercions_AreApplied()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content("""
            [
              { "n": 1, "d": 1.5, "b": true, "s": "x", "j": { "a": 1 } },
              { "n": 2.0, "d": "2.25", "b": "false", "s": 42, "j": [1, 2] },
              { "n": "3", "d": 3, "b": null, "s": true, "j": "text" }
            ]
            """, "application/json")));
        var options = Fixture.Options(api, "/items", """
            "fields": [ { "name": "n", "type": "integer" }, { "name": "d", "type": "number" }, { "name": "b", "type": "boolean" }, { "name": "s", "type": "string" }, { "name": "j", "type": "json" } ]
            """);

        var result = await _fixture.Harness.ReadAsync(options, "items");

        Assert.Equal([1L, 2L, 3L], result.Rows.Select(r => r["n"]));
        Assert.Equal([1.5, 2.25, 3.0], result.Rows.Select(r => r["d"]));
        Assert.Equal([true, false, null], result.Rows.Select(r => r["b"]));
        Assert.Equal(["x", "42", "true"], result.Rows.Select(r => r["s"]));
        Assert.Equal(["""{ "a": 1 }""", "[1, 2]", "\"text\""], result.Rows.Select(r => r["j"]));
    }

    [Fact]
    public async Task Read_LossyValue_IsRefused()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content("""[ { "n": 1 }, { "n": 2.5 } ]""", "application/json")));
        var options = Fixture.Options(api, "/items", """ "fields": [ { "name": "n", "type": "integer" } ] """);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(options));

        Assert.Contains("record 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("2.5", error.Message, StringComparison.Ordinal);
        Assert.Contains("as listed in the field types", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_BatchesFollowPreferredBatchRows()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content(Fixture.Json(Fixture.Items(1, 5)), "application/json")));
        var options = Fixture.Options(api, "/items");
        var request = new ReadRequest("items", SyncMode.Full) { PreferredBatchRows = 2 };

        var sizes = new List<int>();
        await foreach (var batch in _fixture.Connector.ReadAsync(options, request, _fixture.Context, CancellationToken.None))
        {
            using (batch)
            {
                sizes.Add(batch.Length);
            }
        }

        Assert.Equal([2, 2, 1], sizes);
    }

    [Fact]
    public async Task Read_UnknownStream_IsRefused()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content("[]", "application/json")));

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(Fixture.Options(api, "/items"), stream: "nope"));

        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'items'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conformance_PaginatedIncrementalStream_Passes()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (int? page, string? since) =>
        {
            var items = Fixture.Items(1, 7).Select(n => n!.AsObject()).Where(i => since is null || string.CompareOrdinal(i["updated_at"]!.GetValue<string>(), since) > 0).ToList();
            var slice = items.Skip(((page ?? 1) - 1) * 3).Take(3).Select(i => i.DeepClone());
            return Results.Content(new System.Text.Json.Nodes.JsonArray(slice.ToArray()).ToJsonString(), "application/json");
        }));
        var options = Fixture.Options(api, "/items", """
            "primaryKey": ["id"], "cursorField": "updated_at", "cursorParameter": "since",
            "pagination": { "type": "pageNumber", "pageSize": 3 }
            """);

        var report = await _fixture.Harness.CheckConformanceAsync(options);

        Assert.True(report.Passed, report.ToString());
        Assert.Contains(report.Checks, c => c.Name == "incremental items" && c.Passed);
        Assert.Contains(report.Checks, c => c.Name == "cancel items" && c.Message.Contains("stopped", StringComparison.Ordinal));
    }
}
