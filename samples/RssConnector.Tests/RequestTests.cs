namespace Ratatouille.Samples.Rss.Tests;

public sealed class RequestTests
{
    private readonly Feeds _feeds = new();

    [Fact]
    public async Task Check_BearerToken_IsSentInTheAuthorizationHeader()
    {
        var check = await _feeds.Harness.CheckAsync(_feeds.Options(Feeds.RssUrl, "\"bearerToken\": \"tok-123\""));

        Assert.True(check.Success, check.Message);
        var request = Assert.Single(_feeds.Server.Requests);
        Assert.Equal("Bearer tok-123", request.Authorization);
    }

    [Fact]
    public async Task Check_NoToken_SendsNoAuthorizationHeader()
    {
        await _feeds.Harness.CheckAsync(_feeds.Options(Feeds.RssUrl));

        Assert.Null(Assert.Single(_feeds.Server.Requests).Authorization);
    }

    [Fact]
    public async Task Check_SendsTheUserAgentAndAsksForFeeds()
    {
        await _feeds.Harness.CheckAsync(_feeds.Options(Feeds.RssUrl, "\"userAgent\": \"MyCompany-Reader/2.1 (+https://example.com)\""));

        var request = Assert.Single(_feeds.Server.Requests);
        Assert.Equal("MyCompany-Reader/2.1 (+https://example.com)", request.UserAgent);
        Assert.StartsWith("application/rss+xml, application/atom+xml", request.Accept, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_DefaultUserAgent_NamesTheConnector()
    {
        await _feeds.Harness.CheckAsync(_feeds.Options(Feeds.RssUrl));

        Assert.Equal("Ratatouille-RSS/1.0", Assert.Single(_feeds.Server.Requests).UserAgent);
    }

    [Fact]
    public async Task Read_TokenIsNeverLogged()
    {
        await _feeds.Harness.ReadAsync(_feeds.Options(Feeds.RssUrl, "\"bearerToken\": \"tok-123\""), RssConnector.StreamName);

        Assert.NotEmpty(_feeds.Harness.Context.Logs);
        Assert.DoesNotContain(_feeds.Harness.Context.Logs, line => line.Contains("tok-123", StringComparison.Ordinal));
    }
}
