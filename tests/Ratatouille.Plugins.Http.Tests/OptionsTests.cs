using System.Text.Json.Nodes;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http.Tests;

public sealed class OptionsTests
{
    private readonly Fixture _fixture = new();

    [Fact]
    public void Schema_MarksCredentialsAsSecrets()
    {
        var secrets = OptionsSchema.SecretPaths(typeof(HttpOptions));

        Assert.Equal(["auth.token", "auth.password", "auth.apiKeyValue"], secrets);
        var schema = OptionsSchema.Generate(typeof(HttpOptions));
        Assert.Contains("baseUrl", schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("password", schema["properties"]!["auth"]!["properties"]!["token"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public void Schema_DescribesStreamsAndEnumsForTheForm()
    {
        var schema = OptionsSchema.Generate(typeof(HttpOptions));
        var stream = schema["properties"]!["streams"]!["items"]!;

        Assert.Contains("name", stream["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(
            ["none", "pageNumber", "offsetLimit", "cursorToken", "nextLink", "linkHeader"],
            stream["properties"]!["pagination"]!["properties"]!["type"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("apiKey", schema["properties"]!["auth"]!["properties"]!["type"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.NotNull(stream["properties"]!["recordSelector"]!["description"]);
    }

    [Theory]
    [InlineData("ftp://example.com/data")]
    [InlineData("file:///etc/passwd")]
    [InlineData("example.com")]
    public void Bind_NonHttpBaseUrl_IsRefused(string url)
    {
        var error = Assert.Throws<InvalidOptionsException>(() => Fixture.Bind($$"""{ "baseUrl": "{{url}}", "streams": [ { "name": "a" } ] }"""));

        Assert.Contains(error.Errors, e => e.Contains("baseUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_NoStreams_IsRefused()
    {
        var error = Assert.Throws<InvalidOptionsException>(() => Fixture.Bind("""{ "baseUrl": "https://api.example.com", "streams": [] }"""));

        Assert.Contains(error.Errors, e => e.Contains("streams", StringComparison.Ordinal) && e.Contains("at least one", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_ListItems_AreValidatedWithTheirPlace()
    {
        var error = Assert.Throws<InvalidOptionsException>(() => Fixture.Bind("""
            { "baseUrl": "https://api.example.com", "streams": [ { "name": "bad name!" }, { "name": "ok", "fields": [ { "name": "" } ] } ] }
            """));

        Assert.Contains(error.Errors, e => e.StartsWith("'streams[0].name'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("'streams[1].fields[0].name'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Operations_CheckRulesAcrossOptions_NamingTheirPlace()
    {
        // Annotations are checked when the configuration is bound; rules that span options when an operation starts.
        var options = Fixture.Bind("""
            {
              "baseUrl": "https://api.example.com",
              "streams": [
                { "name": "ok", "cursorParameter": "since", "pagination": { "type": "cursorToken" } },
                { "name": "OK", "path": "https://elsewhere.example.com/x" }
              ]
            }
            """);

        var error = await Assert.ThrowsAsync<InvalidOptionsException>(() => _fixture.Connector.DiscoverAsync(options, _fixture.Context, CancellationToken.None));
        var check = await _fixture.Connector.CheckAsync(options, _fixture.Context, CancellationToken.None);

        Assert.Contains(error.Errors, e => e.StartsWith("'streams[0].cursorParameter'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("'streams[0].pagination.tokenPath'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("'streams[1].path'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("two streams named 'ok'", StringComparison.OrdinalIgnoreCase));
        Assert.False(check.Success);
        Assert.Contains("streams[0].pagination.tokenPath", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operations_AuthWithoutItsSecret_IsRefused()
    {
        var options = Fixture.Bind("""
            { "baseUrl": "https://api.example.com", "streams": [ { "name": "a" } ], "auth": { "type": "apiKey", "apiKeyIn": "query" } }
            """);

        var error = await Assert.ThrowsAsync<InvalidOptionsException>(() => _fixture.ReadAsync(options, stream: "a"));

        Assert.Contains(error.Errors, e => e.StartsWith("'auth.apiKeyName'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("'auth.apiKeyValue'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_NullLists_AreProblemsNotCrashes()
    {
        var options = Fixture.Bind("""{ "baseUrl": "https://api.example.com", "streams": [ { "name": "a", "pagination": null } ] }""");

        Assert.Contains(HttpOptionsValidator.Problems(options), p => p.Contains("must not be null", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_FullExample_FromTheDocs_Binds()
    {
        var options = Fixture.Bind("""
            {
              "baseUrl": "https://api.github.com",
              "headers": { "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28" },
              "auth": { "type": "bearer", "token": "ghp_example" },
              "timeoutSeconds": 30,
              "maxRetries": 5,
              "initialBackoffSeconds": 1,
              "maxBackoffSeconds": 120,
              "maxPages": 500,
              "streams": [
                {
                  "name": "issues",
                  "path": "/repos/dotnet/runtime/issues",
                  "query": { "state": "all", "sort": "updated", "direction": "asc" },
                  "primaryKey": [ "id" ],
                  "cursorField": "updated_at",
                  "cursorParameter": "since",
                  "fields": [ { "name": "updated_at", "type": "timestamp" }, { "name": "labels", "type": "json" } ],
                  "pagination": { "type": "linkHeader", "pageSize": 100 }
                },
                {
                  "name": "search",
                  "path": "/search/repositories",
                  "query": { "q": "language:csharp" },
                  "recordSelector": "items",
                  "pagination": { "type": "pageNumber", "pageParameter": "page", "pageSizeParameter": "per_page", "pageSize": 50 }
                }
              ]
            }
            """);

        Assert.Equal(2, options.Streams.Count);
        Assert.Equal(PaginationType.LinkHeader, options.Streams[0].Pagination.Type);
        Assert.Equal(HttpFieldType.Timestamp, options.Streams[0].Fields[0].Type);
        Assert.Equal(HttpAuthType.Bearer, options.Auth.Type);
    }

    [Fact]
    public void Bind_UnknownKey_IsRefused()
    {
        var error = Assert.Throws<InvalidOptionsException>(() => Fixture.Bind("""{ "baseUrl": "https://a.example", "streams": [ { "name": "a", "pagesize": 3 } ] }"""));

        Assert.Contains("pagesize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreInTheSchema()
    {
        var schema = OptionsSchema.Generate(typeof(HttpOptions));

        Assert.Equal("30", schema["properties"]!["timeoutSeconds"]!["default"]!.ToJsonString());
        Assert.Equal("5", schema["properties"]!["maxRetries"]!["default"]!.ToJsonString());
        Assert.IsType<JsonObject>(schema["properties"]!["streams"]!["items"]);
    }
}
