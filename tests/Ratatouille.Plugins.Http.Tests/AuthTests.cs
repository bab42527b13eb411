using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http.Tests;

public sealed class AuthTests
{
    private readonly Fixture _fixture = new();

    [Fact]
    public async Task Bearer_SendsTheTokenInAuthorization()
    {
        await using var api = await ItemsApiAsync();
        var options = Fixture.Options(api, "/items", top: """ "auth": { "type": "bearer", "token": "tok-123" } """);

        var (rows, _, _) = await _fixture.ReadAsync(options);

        Assert.Equal(2, rows.Count);
        Assert.Equal("Bearer tok-123", Assert.Single(api.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Basic_SendsBase64OfUsernameAndPassword()
    {
        await using var api = await ItemsApiAsync();
        var options = Fixture.Options(api, "/items", top: """ "auth": { "type": "basic", "username": "ana", "password": "pässword" } """);

        await _fixture.ReadAsync(options);

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ana:pässword"));
        Assert.Equal(expected, Assert.Single(api.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task ApiKeyInHeader_SendsTheNamedHeader()
    {
        await using var api = await ItemsApiAsync();
        var options = Fixture.Options(api, "/items", top: """
            "auth": { "type": "apiKey", "apiKeyName": "X-API-Key", "apiKeyValue": "k-456" },
            "headers": { "X-Tenant": "acme", "Accept": "application/vnd.test+json" }
            """);

        await _fixture.ReadAsync(options);

        var request = Assert.Single(api.Requests);
        Assert.Equal("k-456", request.Header("X-API-Key"));
        Assert.Equal("acme", request.Header("X-Tenant"));
        Assert.Equal("application/vnd.test+json", request.Header("Accept"));
        Assert.Null(request.Header("Authorization"));
        Assert.Null(request.Parameter("X-API-Key"));
    }

    [Fact]
    public async Task ApiKeyInQuery_IsSentWithEveryPage_AndNeverShown()
    {
        var calls = 0;
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (int page) =>
        {
            // One 503 makes the connector log a retry with the URL in it.
            return Interlocked.Increment(ref calls) == 1
                ? Results.StatusCode(503)
                : Results.Content(Fixture.Json(page == 1 ? Fixture.Items(1, 2) : Fixture.Items(3, 3)), "application/json");
        }));
        var options = Fixture.Options(api, "/items", """ "pagination": { "type": "pageNumber", "pageSize": 2 } """,
            """ "auth": { "type": "apiKey", "apiKeyName": "api_key", "apiKeyValue": "SECRET-789", "apiKeyIn": "query" } """);

        var (rows, _, _) = await _fixture.ReadAsync(options);

        Assert.Equal(3, rows.Count);
        Assert.Equal(3, api.Requests.Count);
        Assert.All(api.Requests, r => Assert.Equal("SECRET-789", r.Parameter("api_key")));
        Assert.Contains(_fixture.Context.Logs, l => l.Contains("503", StringComparison.Ordinal));
        Assert.DoesNotContain(_fixture.Context.Logs, l => l.Contains("SECRET-789", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Secrets_NeverAppearInErrorsOrLogs_EvenWhenTheApiEchoesThem()
    {
        // The API's next link carries the key back; the failure on that page must not show it.
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (int? page) => page is null
            ? Results.Content("""{ "data": [ { "id": 1 } ], "next": "/items?key=SECRET-000&page=2" }""", "application/json")
            : Results.StatusCode(500)));
        var options = Fixture.Options(api, "/items", """ "recordSelector": "data", "pagination": { "type": "nextLink", "nextLinkPath": "next" } """,
            """ "auth": { "type": "apiKey", "apiKeyName": "key", "apiKeyValue": "SECRET-000", "apiKeyIn": "query" } """);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(options));

        Assert.Contains("key=***&page=2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-000", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(_fixture.Context.Logs);
        Assert.DoesNotContain(_fixture.Context.Logs, l => l.Contains("SECRET-000", StringComparison.Ordinal));
        Assert.All(api.Requests, r => Assert.Equal("SECRET-000", r.Parameter("key")));
    }

    private static Task<TestApi> ItemsApiAsync() =>
        TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content(Fixture.Json(Fixture.Items(1, 2)), "application/json")));
}
