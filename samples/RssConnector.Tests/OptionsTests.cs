using System.Text.Json.Nodes;
using Ratatouille.Sdk;

namespace Ratatouille.Samples.Rss.Tests;

public sealed class OptionsTests
{
    private readonly Feeds _feeds = new();

    [Fact]
    public void Bind_MissingFeedUrl_IsRefused()
    {
        var error = Assert.Throws<InvalidOptionsException>(() => _feeds.Harness.Bind(JsonNode.Parse("{}")));

        Assert.Contains(error.Errors, e => e.StartsWith("'feedUrl'", StringComparison.Ordinal) && e.Contains("required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ftp://kitchen.example.com/feed.xml")]
    [InlineData("file:///etc/passwd")]
    [InlineData("kitchen.example.com/feed.xml")]
    [InlineData("https:// kitchen.example.com/feed.xml")]
    public void Bind_NonHttpFeedUrl_IsRefused(string url)
    {
        var error = Assert.Throws<InvalidOptionsException>(() => _feeds.Options(url));

        Assert.Contains(error.Errors, e => e == "'feedUrl': must be an http:// or https:// URL");
    }

    [Theory]
    [InlineData("\"timeoutSeconds\": 0", "'timeoutSeconds'")]
    [InlineData("\"userAgent\": \"two\\nlines\"", "'userAgent'")]
    [InlineData("\"pollMinutes\": 5", "'pollMinutes': unknown option")]
    public void Bind_InvalidOtherOptions_AreRefusedByName(string extra, string expected)
    {
        var error = Assert.Throws<InvalidOptionsException>(() => _feeds.Options(Feeds.RssUrl, extra));

        Assert.Contains(error.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_HttpsUrlAlone_TakesTheDefaults()
    {
        var options = Assert.IsType<RssOptions>(_feeds.Options("HTTPS://kitchen.example.com/feed.xml"));

        Assert.Equal(30, options.TimeoutSeconds);
        Assert.Equal("Ratatouille-RSS/1.0", options.UserAgent);
        Assert.Null(options.BearerToken);
    }

    [Fact]
    public void Schema_MarksTheTokenSecret_AndTheUrlRequired()
    {
        var schema = _feeds.Harness.OptionsSchemaJson;

        Assert.Equal(["bearerToken"], OptionsSchema.SecretPaths(typeof(RssOptions)));
        Assert.Equal(["feedUrl"], schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("password", schema["properties"]!["bearerToken"]!["format"]!.GetValue<string>());
        Assert.Equal(30, schema["properties"]!["timeoutSeconds"]!["default"]!.GetValue<long>());
    }

    [Fact]
    public async Task Check_OptionsBuiltInCode_StillRefuseNonHttpUrls()
    {
        // The platform validates bound options; a caller that builds them in code gets the same answer from the connector.
        var check = await _feeds.Harness.CheckAsync(new RssOptions { FeedUrl = "file:///etc/passwd" });

        Assert.False(check.Success);
        Assert.Contains("'feedUrl'", check.Message, StringComparison.Ordinal);
        Assert.Empty(_feeds.Server.Requests);
    }
}
