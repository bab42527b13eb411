using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http.Tests;

public sealed class CheckTests
{
    private readonly Fixture _fixture = new();

    [Fact]
    public async Task Check_AnsweringApi_Succeeds()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content(Fixture.Json(Fixture.Items(1, 4)), "application/json")));

        var result = await _fixture.Connector.CheckAsync(Fixture.Options(api, "/items", """ "pagination": { "type": "pageNumber" } """), _fixture.Context, CancellationToken.None);

        Assert.True(result.Success, result.Message);
        Assert.Contains("4 record(s)", result.Message, StringComparison.Ordinal);
        Assert.Equal("1", Assert.Single(api.Requests).Parameter("page"));
    }

    [Theory]
    [InlineData(401, "did not accept the credentials")]
    [InlineData(403, "permissions")]
    [InlineData(404, "path")]
    public async Task Check_RefusedRequest_SaysWhatToFix(int status, string advice)
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.StatusCode(status)));
        var options = Fixture.Options(api, "/items", top: """ "auth": { "type": "bearer", "token": "t" } """);

        var result = await _fixture.Connector.CheckAsync(options, _fixture.Context, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains($"answered {status}", result.Message, StringComparison.Ordinal);
        Assert.Contains(advice, result.Message, StringComparison.Ordinal);
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task Check_Unauthorized_WithoutAuth_AsksForCredentials()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.StatusCode(401)));

        var result = await _fixture.Connector.CheckAsync(Fixture.Options(api, "/items"), _fixture.Context, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("wants credentials", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_RetriesOnceAtMost_WhileReadsKeepTheConfiguredRetries()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.StatusCode(503)));
        var options = Fixture.Options(api, "/items", top: """ "maxRetries": 4 """);

        var result = await _fixture.Connector.CheckAsync(options, _fixture.Context, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("gave up after 2 attempts", result.Message, StringComparison.Ordinal);
        Assert.Equal(2, api.Requests.Count);

        await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(options));
        Assert.Equal(2 + 5, api.Requests.Count);
    }

    [Fact]
    public async Task Check_HtmlPage_IsNotJson()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content("<html><body>Sign in</body></html>", "text/html")));

        var result = await _fixture.Connector.CheckAsync(Fixture.Options(api, "/items"), _fixture.Context, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("not JSON", result.Message, StringComparison.Ordinal);
        Assert.Contains("text/html", result.Message, StringComparison.Ordinal);
        Assert.Contains("<html><body>Sign in", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SlowApi_ReportsTheTimeout()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", async (HttpContext http) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), http.RequestAborted);
            return Results.Content("[]", "application/json");
        }));

        var result = await _fixture.Connector.CheckAsync(Fixture.Options(api, "/items", top: """ "timeoutSeconds": 1, "maxRetries": 0 """), _fixture.Context, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("timed out after 1 s", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SelectorMatchingNothing_ListsTheKeys()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content("""{ "results": [], "count": 0 }""", "application/json")));

        var result = await _fixture.Connector.CheckAsync(Fixture.Options(api, "/items", """ "recordSelector": "data" """), _fixture.Context, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("results, count", result.Message, StringComparison.Ordinal);
    }
}
