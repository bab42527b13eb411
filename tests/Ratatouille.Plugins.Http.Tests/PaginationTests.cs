using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http.Tests;

public sealed class PaginationTests
{
    private readonly Fixture _fixture = new();

    [Fact]
    public async Task PageNumber_StopsAfterAShortPage()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (int page, int per_page) =>
            Results.Content(Fixture.Json(Fixture.Items(((page - 1) * per_page) + 1, Math.Min(25, page * per_page))), "application/json")));
        var options = Fixture.Options(api, "/items", """ "pagination": { "type": "pageNumber", "pageSize": 10 } """);

        var (rows, _, _) = await _fixture.ReadAsync(options);

        Assert.Equal(Enumerable.Range(1, 25).Select(i => (object)(long)i), rows.Select(r => r["id"]));
        Assert.Equal(["1", "2", "3"], api.Requests.Select(r => r.Parameter("page")));
        Assert.All(api.Requests, r => Assert.Equal("10", r.Parameter("per_page")));
    }

    [Fact]
    public async Task PageNumber_EmptyPageRule_ReadsPastPagesSmallerThanAsked()
    {
        // The API caps pages at 10 whatever is asked: with shortPage the read would stop after page 0.
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (int p) =>
            Results.Content(Fixture.Json(Fixture.Items((p * 10) + 1, Math.Min(25, (p + 1) * 10))), "application/json")));
        var options = Fixture.Options(api, "/items", """
            "pagination": { "type": "pageNumber", "pageParameter": "p", "startPage": 0, "pageSizeParameter": "", "pageSize": 50, "stopWhen": "emptyPage" }
            """);

        var (rows, _, _) = await _fixture.ReadAsync(options);

        Assert.Equal(25, rows.Count);
        Assert.Equal(["0", "1", "2", "3"], api.Requests.Select(r => r.Parameter("p")));
        Assert.All(api.Requests, r => Assert.Null(r.Parameter("per_page")));
    }

    [Fact]
    public async Task OffsetLimit_AdvancesByTheRecordsRead()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (int offset, int limit) =>
            Results.Content(new JsonObject { ["rows"] = Fixture.Items(offset + 1, Math.Min(12, offset + limit)) }.ToJsonString(), "application/json")));
        var options = Fixture.Options(api, "/items", """ "recordSelector": "rows", "pagination": { "type": "offsetLimit", "pageSize": 5 } """);

        var (rows, _, _) = await _fixture.ReadAsync(options);

        Assert.Equal(12, rows.Count);
        Assert.Equal(["0", "5", "10"], api.Requests.Select(r => r.Parameter("offset")));
        Assert.All(api.Requests, r => Assert.Equal("5", r.Parameter("limit")));
    }

    [Fact]
    public async Task CursorToken_SendsTheTokenFromTheBody()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (string? cursor) =>
        {
            var (items, next) = cursor switch
            {
                null => (Fixture.Items(1, 3), "t-2"),
                "t-2" => (Fixture.Items(4, 6), "t-3"),
                "t-3" => (Fixture.Items(7, 7), (string?)null),
                _ => throw new InvalidOperationException("unexpected cursor " + cursor),
            };
            return Results.Content(new JsonObject { ["data"] = items, ["meta"] = new JsonObject { ["next_cursor"] = next } }.ToJsonString(), "application/json");
        }));
        var options = Fixture.Options(api, "/items", """
            "recordSelector": "data", "query": { "kind": "all" },
            "pagination": { "type": "cursorToken", "tokenPath": "meta.next_cursor", "tokenParameter": "cursor" }
            """);

        var (rows, _, _) = await _fixture.ReadAsync(options);

        Assert.Equal(7, rows.Count);
        Assert.Equal([null, "t-2", "t-3"], api.Requests.Select(r => r.Parameter("cursor")));
        Assert.All(api.Requests, r => Assert.Equal("all", r.Parameter("kind")));
    }

    [Fact]
    public async Task NextLink_FollowsRelativeAndAbsoluteLinks()
    {
        TestApi? self = null;
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (int? after) =>
        {
            var (items, next) = after switch
            {
                null => (Fixture.Items(1, 2), "/items?after=2"),
                2 => (Fixture.Items(3, 4), self!.BaseUrl + "/items?after=4"),
                _ => (Fixture.Items(5, 5), (string?)null),
            };
            return Results.Content(new JsonObject { ["results"] = items, ["links"] = new JsonObject { ["next"] = next } }.ToJsonString(), "application/json");
        }));
        self = api;
        var options = Fixture.Options(api, "/items", """ "recordSelector": "results", "pagination": { "type": "nextLink", "nextLinkPath": "links.next" } """);

        var (rows, _, _) = await _fixture.ReadAsync(options);

        Assert.Equal(5, rows.Count);
        Assert.Equal([null, "2", "4"], api.Requests.Select(r => r.Parameter("after")));
    }

    [Fact]
    public async Task LinkHeader_FollowsRelNext()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (HttpContext http, int? page) =>
        {
            var current = page ?? 1;
            var origin = $"http://{http.Request.Host}";
            var links = new List<string> { $"<{origin}/items?page=1>; rel=\"first\"", $"<{origin}/items?page=3>; rel=\"last\"" };
            if (current < 3)
            {
                links.Insert(0, $"<{origin}/items?page={current + 1}>; rel=\"next\"");
            }

            http.Response.Headers.Link = string.Join(", ", links);
            return Results.Content(Fixture.Json(Fixture.Items(((current - 1) * 2) + 1, current * 2)), "application/json");
        }));
        var options = Fixture.Options(api, "/items", """ "pagination": { "type": "linkHeader" } """);

        var (rows, _, _) = await _fixture.ReadAsync(options);

        Assert.Equal(6, rows.Count);
        Assert.Equal([null, "2", "3"], api.Requests.Select(r => r.Parameter("page")));
    }

    [Fact]
    public async Task NextLink_ToAnotherOrigin_IsRefused()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () =>
            Results.Content("""{ "results": [ { "id": 1 } ], "next": "http://attacker.invalid/steal" }""", "application/json")));
        var options = Fixture.Options(api, "/items", """ "recordSelector": "results", "pagination": { "type": "nextLink", "nextLinkPath": "next" } """,
            """ "auth": { "type": "bearer", "token": "s3cret" } """);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(options));

        Assert.Contains("outside the base URL's origin", error.Message, StringComparison.Ordinal);
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task MaxPages_StopsARunawayPagination()
    {
        // An API that ignores the page parameter: every page is full.
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content(Fixture.Json(Fixture.Items(1, 2)), "application/json")));
        var options = Fixture.Options(api, "/items", """ "pagination": { "type": "pageNumber", "pageSize": 2 } """, """ "maxPages": 4 """);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(options));

        Assert.Contains("4 pages (maxPages)", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, api.Requests.Count);
    }

    [Fact]
    public async Task CursorToken_RepeatedToken_Stops()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (string? cursor) =>
            Results.Content(new JsonObject { ["data"] = Fixture.Items(1, 1), ["next"] = "same" }.ToJsonString(), "application/json")));
        var options = Fixture.Options(api, "/items", """ "recordSelector": "data", "pagination": { "type": "cursorToken", "tokenPath": "next" } """);

        var (rows, _, _) = await _fixture.ReadAsync(options);

        Assert.Equal(2, rows.Count);
        Assert.Equal(2, api.Requests.Count);
    }
}
