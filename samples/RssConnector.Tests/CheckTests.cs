using System.Net;

namespace Ratatouille.Samples.Rss.Tests;

public sealed class CheckTests
{
    private const string Url = "https://kitchen.example.com/broken.xml";
    private readonly Feeds _feeds = new();

    [Theory]
    [InlineData(Feeds.RssUrl, "RSS 2.0 feed 'Gusteau's Kitchen Notes' with 3 item(s).")]
    [InlineData(Feeds.AtomUrl, "Atom feed 'Ratatouille Release Notes' with 2 item(s).")]
    public async Task Check_Feed_SucceedsNamingFormatTitleAndItemCount(string url, string message)
    {
        var check = await _feeds.Harness.CheckAsync(_feeds.Options(url));

        Assert.True(check.Success, check.Message);
        Assert.Equal(message, check.Message);
    }

    [Fact]
    public async Task Check_NotFound_FailsWithStatusAndAdvice()
    {
        var check = await _feeds.Harness.CheckAsync(_feeds.Options("https://kitchen.example.com/missing.xml?key=s3cr3t"));

        Assert.False(check.Success);
        Assert.Equal("https://kitchen.example.com/missing.xml answered 404 Not Found: there is no feed at this address; check the feed URL.", check.Message);
        // The query string may carry a key: messages leave it out.
        Assert.DoesNotContain("s3cr3t", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Unauthorized_SaysTheFeedNeedsCredentials()
    {
        _feeds.Server.Serve(Url, "denied", "text/plain", HttpStatusCode.Unauthorized);

        var check = await _feeds.Harness.CheckAsync(_feeds.Options(Url));

        Assert.False(check.Success);
        Assert.StartsWith($"{Url} answered 401 Unauthorized: the feed needs credentials", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ServerError_SaysToTryLater()
    {
        _feeds.Server.Serve(Url, "oops", "text/plain", HttpStatusCode.BadGateway);

        var check = await _feeds.Harness.CheckAsync(_feeds.Options(Url));

        Assert.False(check.Success);
        Assert.Equal($"{Url} answered 502 Bad Gateway: the feed server failed; try again later.", check.Message);
    }

    [Fact]
    public async Task Check_NonXml_FailsSayingItIsNotXml()
    {
        _feeds.Server.Serve(Url, """{"items": []}""", "application/json");

        var check = await _feeds.Harness.CheckAsync(_feeds.Options(Url));

        Assert.False(check.Success);
        Assert.StartsWith($"{Url} did not return XML (Content-Type application/json): ", check.Message, StringComparison.Ordinal);
        Assert.EndsWith("Check that the URL points at the RSS or Atom document.", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_HtmlPage_FailsPointingAtTheFeedLink()
    {
        _feeds.Server.Serve(Url, "<!DOCTYPE html><html><head><title>Blog</title><link rel=alternate href=/feed></head><body><p>Hi<br></body></html>", "text/html");

        var check = await _feeds.Harness.CheckAsync(_feeds.Options(Url));

        Assert.False(check.Success);
        Assert.Contains("did not return XML (Content-Type text/html)", check.Message, StringComparison.Ordinal);
        Assert.Contains("use the address of the feed itself", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_EmptyBody_FailsSayingItIsNotXml()
    {
        _feeds.Server.Serve(Url, "", "application/rss+xml");

        var check = await _feeds.Harness.CheckAsync(_feeds.Options(Url));

        Assert.False(check.Success);
        Assert.StartsWith($"{Url} did not return XML", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_OtherXml_FailsNamingTheRootElementAndTheFormatsRead()
    {
        _feeds.Server.Serve(Url, """<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x</loc></url></urlset>""", "application/xml");

        var check = await _feeds.Harness.CheckAsync(_feeds.Options(Url));

        Assert.False(check.Success);
        Assert.Equal(
            $"{Url} is XML but not a feed format this connector reads: the root element is <urlset> in the namespace http://www.sitemaps.org/schemas/sitemap/0.9; "
            + "expected <rss> (RSS 2.0) or <feed xmlns=\"http://www.w3.org/2005/Atom\"> (Atom).",
            check.Message);
    }

    [Fact]
    public async Task Check_Rss1Rdf_SaysWhichFormatsAreRead()
    {
        _feeds.Server.Serve(Url, """
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
              <channel rdf:about="https://x/"><title>Old</title></channel>
            </rdf:RDF>
            """, "application/rdf+xml");

        var check = await _feeds.Harness.CheckAsync(_feeds.Options(Url));

        Assert.False(check.Success);
        Assert.StartsWith($"{Url} is an RSS 1.0 (RDF) feed; this connector reads RSS 2.0 and Atom 1.0.", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ServerThatNeverAnswers_FailsAfterTheTimeout()
    {
        _feeds.Server.Hang(Url);

        var check = await _feeds.Harness.CheckAsync(_feeds.Options(Url, "\"timeoutSeconds\": 1"));

        Assert.False(check.Success);
        Assert.Equal($"{Url} did not answer within 1 s (option timeoutSeconds).", check.Message);
    }

    [Fact]
    public async Task Check_CancelledByTheCaller_ThrowsInsteadOfReportingATimeout()
    {
        _feeds.Server.Hang(Url);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _feeds.Harness.CheckAsync(_feeds.Options(Url), cancellation.Token));
    }

    [Fact]
    public async Task Read_NotFound_ThrowsPluginExceptionWithTheSameMessage()
    {
        var error = await Assert.ThrowsAsync<Ratatouille.Sdk.PluginException>(() => _feeds.ReadAsync(_feeds.Options("https://kitchen.example.com/gone.xml")));

        Assert.Contains("answered 404 Not Found", error.Message, StringComparison.Ordinal);
    }
}
