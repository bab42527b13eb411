using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Ratatouille.Client.Contracts;
using Ratatouille.Testing;

namespace Ratatouille.Server.Tests;

/// <summary>
/// Every API endpoint the app maps, found from its endpoint data source, called anonymously and
/// as each role: anonymous gets 401 except the allowlist, each role exactly what the matrix says
/// (403 below it). An endpoint missing from the matrix fails the test, so new endpoints are covered.
/// </summary>
public sealed class AuthorizationMatrixTests : IClassFixture<AuthorizationMatrixTests.Fixture>
{
    private const string Anonymous = "anonymous";

    // The lowest role each endpoint needs: the role matrix, written down independently of the code.
    private static readonly Dictionary<string, string> Matrix = new(StringComparer.Ordinal)
    {
        ["GET health/live"] = Anonymous,
        ["GET health/ready"] = Anonymous,
        ["POST api/v1/auth/login"] = Anonymous,
        ["GET api/v1/setup"] = Anonymous,
        ["POST api/v1/setup"] = Anonymous,
        ["POST api/v1/auth/logout"] = "authenticated",
        ["GET api/v1/auth/me"] = "authenticated",
        ["POST api/v1/auth/password"] = "viewer",
        ["GET api/v1/datasets"] = "viewer",
        ["GET api/v1/datasets/{layer}/{name}"] = "viewer",
        ["GET api/v1/datasets/{layer}/{name}/snapshots"] = "viewer",
        ["GET api/v1/datasets/{layer}/{name}/rows"] = "viewer",
        ["POST api/v1/query"] = "viewer",
        ["GET api/v1/query"] = "viewer",
        ["DELETE api/v1/datasets/{layer}/{name}"] = "editor",
        ["POST api/v1/datasets/{layer}/{name}/upload"] = "editor",
        ["POST api/v1/datasets/{layer}/{name}/rollback"] = "editor",
        ["GET api/v1/api-keys"] = "viewer",
        ["POST api/v1/api-keys"] = "viewer",
        ["DELETE api/v1/api-keys/{id}"] = "viewer",
        ["POST api/v1/maintenance/vacuum"] = "admin",
        ["GET api/v1/users"] = "admin",
        ["POST api/v1/users"] = "admin",
        ["PUT api/v1/users/{username}"] = "admin",
        ["DELETE api/v1/users/{username}"] = "admin",
        ["GET api/v1/secrets"] = "admin",
        ["PUT api/v1/secrets/{name}"] = "admin",
        ["DELETE api/v1/secrets/{name}"] = "admin",
        ["GET api/v1/audit"] = "admin",
        ["GET api/v1/plugins"] = "admin",
        ["POST api/v1/plugins/rescan"] = "admin",
        ["POST api/v1/plugins/{id}/{version}/enable"] = "admin",
        ["POST api/v1/plugins/{id}/{version}/disable"] = "admin",
        ["DELETE api/v1/plugins/{id}/{version}"] = "admin",
        ["GET api/v1/connectors"] = "editor",
        ["GET api/v1/connections"] = "editor",
        ["POST api/v1/connections"] = "editor",
        ["GET api/v1/connections/{name}"] = "editor",
        ["PUT api/v1/connections/{name}"] = "editor",
        ["DELETE api/v1/connections/{name}"] = "editor",
        ["POST api/v1/connections/{name}/test"] = "editor",
        ["GET api/v1/connections/{name}/streams"] = "editor",
        ["POST api/v1/connections/{name}/extract"] = "editor",
        ["GET api/v1/connections/{name}/runs"] = "editor",
        ["GET api/v1/connections/{name}/runs/{id}"] = "editor",
        ["GET api/v1/connections/{name}/runs/{id}/log"] = "editor",
        ["POST api/v1/connections/{name}/runs/{id}/cancel"] = "editor",
        ["POST account/login"] = Anonymous,
        ["POST account/logout"] = Anonymous,
        ["POST account/setup"] = Anonymous,
    };

    private readonly Fixture _fixture;

    public AuthorizationMatrixTests(Fixture fixture) => _fixture = fixture;

    public static IEnumerable<object[]> Endpoints()
    {
        using var factory = new ApiFactory();
        var sources = factory.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        return sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) || raw.TrimStart('/').StartsWith("health/", StringComparison.Ordinal) || raw.TrimStart('/').StartsWith("account/", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {e.RoutePattern.RawText!.TrimStart('/').TrimEnd('/')}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Select(e => new object[] { e });
    }

    [Fact]
    public void Matrix_CoversEveryMappedApiEndpoint()
    {
        var mapped = Endpoints().Select(e => (string)e[0]).ToList();

        var unlisted = mapped.Where(e => !Matrix.ContainsKey(e)).ToList();
        var stale = Matrix.Keys.Where(k => !mapped.Contains(k)).ToList();
        Assert.True(unlisted.Count == 0, "Not in the role matrix: " + string.Join(", ", unlisted));
        Assert.True(stale.Count == 0, "In the matrix but not mapped: " + string.Join(", ", stale));
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_AnswersEachCallerAsTheMatrixSays(string endpoint)
    {
        Assert.True(Matrix.TryGetValue(endpoint, out var needed), $"{endpoint} is not in the role matrix: decide who may call it and add it.");
        var (method, path) = Split(endpoint);

        var anonymous = await SendAsync(_fixture.Factory.CreateClient(), method, path);
        if (needed == Anonymous)
        {
            Assert.False(IsChallenge(anonymous), $"{endpoint} should answer anonymous callers, got {anonymous.Status} {anonymous.Title}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        }

        foreach (var role in new[] { "viewer", "editor", "admin" })
        {
            // A fresh session per call: the logout endpoint ends the session it is called with.
            using var client = role == "admin" ? _fixture.Factory.CreateAdminClient() : _fixture.Factory.CreateClientAs($"{role}-user", Fixture.Password);
            var result = await SendAsync(client, method, path);
            var allowed = needed is Anonymous or "authenticated" || Security.Roles.Rank(role) >= Security.Roles.Rank(needed);
            if (allowed)
            {
                Assert.True(!IsChallenge(result) && result.Status != HttpStatusCode.Forbidden, $"{role} should be allowed {endpoint}, got {result.Status} {result.Title}");
            }
            else
            {
                Assert.Equal(HttpStatusCode.Forbidden, result.Status);
            }
        }
    }

    [Fact]
    public async Task ApiKey_ReadOnlyScope_ActsAsViewer_AndPushOnlyKeyReadsNothing()
    {
        var api = _fixture.Factory.Api;
        var readOnly = await api.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "ro", Scopes = ["read-only"] }, TestTimeout.Token);
        var pushOnly = await api.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "push", Scopes = ["packages:push"] }, TestTimeout.Token);

        using var ro = _fixture.Factory.CreateKeyClient(readOnly.Key);
        Assert.Equal(HttpStatusCode.OK, (await ro.GetAsync("/api/v1/datasets", TestTimeout.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ro.DeleteAsync("/api/v1/datasets/bronze/x", TestTimeout.Token)).StatusCode);

        using var push = _fixture.Factory.CreateKeyClient(pushOnly.Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await push.GetAsync("/api/v1/datasets", TestTimeout.Token)).StatusCode);
        var me = await push.GetFromJsonAsync<MeDto>("/api/v1/auth/me", TestTimeout.Token);
        Assert.Equal(["packages:push"], me!.Scopes);
        Assert.Null(me.Role);
    }

    private static async Task<(HttpStatusCode Status, string? Title)> SendAsync(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (path.EndsWith("/upload", StringComparison.Ordinal))
        {
            request.Content = new MultipartFormDataContent { { new StringContent("x"), "notafile" } };
        }
        else if (method is "POST" or "PUT")
        {
            request.Content = JsonContent.Create(new { });
        }

        using var response = await client.SendAsync(request, TestTimeout.Token);
        string? title = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            title = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeout.Token)).RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
        }

        return (response.StatusCode, title);
    }

    private static bool IsChallenge((HttpStatusCode Status, string? Title) result) =>
        result.Status == HttpStatusCode.Unauthorized && result.Title == "Unauthorized";

    private static (string Method, string Path) Split(string endpoint)
    {
        var space = endpoint.IndexOf(' ', StringComparison.Ordinal);
        var path = "/" + endpoint[(space + 1)..]
            .Replace("{layer}", "bronze", StringComparison.Ordinal)
            .Replace("{name}", "matrix_missing", StringComparison.Ordinal)
            .Replace("{username}", "nobody-here", StringComparison.Ordinal)
            .Replace("{id}", "nokey", StringComparison.Ordinal)
            .Replace("{version}", "9.9.9", StringComparison.Ordinal);
        return (endpoint[..space], path);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public ApiFactory Factory { get; } = new();

        public const string Password = "a-long-password-1";

        public async Task InitializeAsync()
        {
            var api = Factory.Api;
            foreach (var role in new[] { "viewer", "editor" })
            {
                await api.CreateUserAsync(new CreateUserRequest($"{role}-user", Password, role), TestTimeout.Token);
            }
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}
