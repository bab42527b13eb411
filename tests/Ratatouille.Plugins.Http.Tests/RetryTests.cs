using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http.Tests;

public sealed class RetryTests
{
    private readonly Fixture _fixture = new();

    [Fact]
    public async Task TooManyRequests_WaitsForRetryAfter_ThenSucceeds()
    {
        var calls = 0;
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (HttpContext http) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                http.Response.Headers.RetryAfter = "1";
                return Results.StatusCode(429);
            }

            return Results.Content(Fixture.Json(Fixture.Items(1, 2)), "application/json");
        }));
        var options = Fixture.Options(api, "/items");

        var watch = Stopwatch.StartNew();
        var (rows, _, _) = await _fixture.ReadAsync(options);

        Assert.Equal(2, rows.Count);
        Assert.Equal(2, api.Requests.Count);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 8);
        Assert.Contains(_fixture.Context.Logs, l => l.Contains("429", StringComparison.Ordinal) && l.Contains("Retry-After", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServiceUnavailableTwice_ThenSucceeds()
    {
        var calls = 0;
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () =>
            Interlocked.Increment(ref calls) <= 2
                ? Results.StatusCode(503)
                : Results.Content(Fixture.Json(Fixture.Items(1, 3)), "application/json")));
        var options = Fixture.Options(api, "/items");

        var (rows, _, _) = await _fixture.ReadAsync(options);

        Assert.Equal(3, rows.Count);
        Assert.Equal(3, api.Requests.Count);
        Assert.Equal(2, _fixture.Context.Logs.Count(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("503", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PermanentServerError_FailsClearlyAfterMaxRetries()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Problem("database is down", statusCode: 500)));
        var options = Fixture.Options(api, "/items");

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(options));

        Assert.Equal(3, api.Requests.Count);
        Assert.Contains("Stream 'items'", error.Message, StringComparison.Ordinal);
        Assert.Contains("answered 500", error.Message, StringComparison.Ordinal);
        Assert.Contains("database is down", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowEndpoint_TimesOutWithAMessage()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/slow", async (HttpContext http) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), http.RequestAborted);
            return Results.Content("[]", "application/json");
        }));
        var options = Fixture.Options(api, "/slow", top: """ "timeoutSeconds": 1, "maxRetries": 0 """);

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(options));

        Assert.Contains("timed out after 1 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("timeoutSeconds", error.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 8);
    }

    [Fact]
    public async Task MalformedJson_FailsWithoutRetrying()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", () => Results.Content("""[ { "id": 1, }""", "application/json")));
        var options = Fixture.Options(api, "/items");

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(options));

        Assert.Single(api.Requests);
        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
        Assert.Contains("application/json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionRefused_IsRetriedThenReported()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var options = Fixture.Bind($$"""
            { "baseUrl": "http://127.0.0.1:{{port}}", "maxRetries": 2, "initialBackoffSeconds": 0.01, "streams": [ { "name": "items" } ] }
            """);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(options));

        Assert.Contains("failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _fixture.Context.Logs.Count(l => l.StartsWith("Warning", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RetryAfterBeyondMaxBackoff_FailsAtOnce()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (HttpContext http) =>
        {
            http.Response.Headers.RetryAfter = "3600";
            return Results.StatusCode(429);
        }));
        var options = Fixture.Options(api, "/items");

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.ReadAsync(options));

        Assert.Single(api.Requests);
        Assert.Contains("3600 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("maxBackoffSeconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_DuringBackoff_StopsAtOnce()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/items", (HttpContext http) =>
        {
            http.Response.Headers.RetryAfter = "30";
            return Results.StatusCode(503);
        }));
        var options = Fixture.Options(api, "/items", top: """ "maxBackoffSeconds": 60 """);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _fixture.ReadAsync(options, cancellationToken: cancellation.Token));

        Assert.InRange(watch.Elapsed.TotalSeconds, 0, 5);
        Assert.Single(api.Requests);
    }
}
