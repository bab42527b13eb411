using Ratatouille.Sdk;

namespace Ratatouille.Samples.Rss.Tests;

public sealed class ReadTests
{
    private readonly Feeds _feeds = new();

    [Fact]
    public async Task Read_Rss2_ParsesEveryFieldWithDatesAsUtcInstants()
    {
        var result = await _feeds.ReadAsync(_feeds.Options(Feeds.RssUrl));

        Assert.Equal(3, result.Rows.Count);
        var bechamel = result.Rows[0];
        Assert.Equal("urn:kitchen:post:3", bechamel["id"]);
        Assert.Equal("Béchamel, the mother sauce", bechamel["title"]);
        // Relative links are resolved against the feed's address.
        Assert.Equal("https://kitchen.example.com/posts/bechamel", bechamel["link"]);
        // "Tue, 04 Jun 2024 09:30:00 +0200" is 07:30 UTC.
        Assert.Equal(Feeds.Utc("2024-06-04T07:30:00Z"), bechamel["published"]);
        Assert.Equal(TimeSpan.Zero, ((DateTimeOffset)bechamel["published"]!).Offset);
        Assert.Null(bechamel["updated"]);
        Assert.Equal("remy@kitchen.example.com (Remy)", bechamel["author"]);
        Assert.Equal("Butter, flour & milk: <b>stir</b> constantly.", bechamel["summary"]);
        Assert.Equal(["Sauces", "French"], Assert.IsType<List<object?>>(bechamel["categories"]));
        Assert.Equal("Gusteau's Kitchen Notes", bechamel["feed_title"]);

        var ratatouille = result.Rows[1];
        // No guid: the link is the id. Dublin Core creator and Atom updated are read from RSS too.
        Assert.Equal("https://kitchen.example.com/posts/ratatouille", ratatouille["id"]);
        Assert.Equal(Feeds.Utc("2024-06-03T18:00:00Z"), ratatouille["published"]);
        Assert.Equal(Feeds.Utc("2024-06-03T19:15:00Z"), ratatouille["updated"]);
        Assert.Equal("Colette", ratatouille["author"]);
        Assert.Equal(["Vegetables"], Assert.IsType<List<object?>>(ratatouille["categories"]));

        var miseEnPlace = result.Rows[2];
        // A permalink guid and no <link>: the guid is both. "08:00 EST" is 13:00 UTC.
        Assert.Equal("https://kitchen.example.com/posts/mise-en-place", miseEnPlace["id"]);
        Assert.Equal("https://kitchen.example.com/posts/mise-en-place", miseEnPlace["link"]);
        Assert.Equal(Feeds.Utc("2024-06-02T13:00:00Z"), miseEnPlace["published"]);
        Assert.Null(miseEnPlace["author"]);
        Assert.Empty(Assert.IsType<List<object?>>(miseEnPlace["categories"]));
    }

    [Fact]
    public async Task Read_Atom_ParsesEveryFieldWithInheritedAuthorAndXmlBase()
    {
        var result = await _feeds.ReadAsync(_feeds.Options(Feeds.AtomUrl));

        Assert.Equal(2, result.Rows.Count);
        var release = result.Rows[0];
        Assert.Equal("tag:blog.example.com,2024:entry-2", release["id"]);
        Assert.Equal("Version 1.0 &mdash; <em>connectors</em>", release["title"]);
        Assert.Equal("https://blog.example.com/notes/1.0", release["link"]);
        Assert.Equal(Feeds.Utc("2024-06-02T08:00:00Z"), release["published"]);
        Assert.Equal(Feeds.Utc("2024-06-04T12:30:45.5Z"), release["updated"]);
        Assert.Equal("Linguini", release["author"]);
        Assert.Equal("Connectors, a plugin SDK and a marketplace.", release["summary"]);
        Assert.Equal(["release", "connectors"], Assert.IsType<List<object?>>(release["categories"]));
        Assert.Equal("Ratatouille Release Notes", release["feed_title"]);

        var preview = result.Rows[1];
        // The alternate link, not the edit link listed first.
        Assert.Equal("https://blog.example.com/notes/preview", preview["link"]);
        Assert.Null(preview["published"]);
        Assert.Equal(Feeds.Utc("2024-06-01T00:00:00Z"), preview["updated"]);
        Assert.Equal("Ratatouille Team", preview["author"]);
        // No summary: the XHTML content stands in, as markup without the namespace wrapper.
        Assert.Equal("<p>The first <b>preview</b>.</p>", preview["summary"]);
    }

    [Fact]
    public async Task Read_ItemWithoutIdOrLinkAndWithABadDate_GetsAHashIdAnEmptyDateAndAWarning()
    {
        const string url = "https://kitchen.example.com/odd.xml";
        _feeds.Server.Serve(url, """
            <rss version="2.0"><channel><title>Odd</title>
              <item><title>No id, no link</title><pubDate>sometime last week</pubDate></item>
            </channel></rss>
            """);

        var result = await _feeds.ReadAsync(_feeds.Options(url));

        var row = Assert.Single(result.Rows);
        Assert.Matches("^sha256:[0-9a-f]{64}$", (string)row["id"]!);
        Assert.Null(row["link"]);
        Assert.Null(row["published"]);
        Assert.Contains(_feeds.Harness.Context.Logs, line =>
            line.StartsWith("Warning: 1 date(s) in https://kitchen.example.com/odd.xml", StringComparison.Ordinal));
        // The same item gets the same id on the next read, so the id works as a key.
        Assert.Equal(row["id"], Assert.Single((await _feeds.ReadAsync(_feeds.Options(url))).Rows)["id"]);
    }

    [Fact]
    public async Task Read_PreferredBatchRows_SplitsTheItemsIntoBatches()
    {
        var options = _feeds.Options(Feeds.RssUrl);
        var request = new ReadRequest(RssConnector.StreamName, SyncMode.Full) { PreferredBatchRows = 2 };
        var sizes = new List<int>();

        await foreach (var batch in _feeds.Harness.Connector.ReadAsync(options, request, _feeds.Harness.Context, CancellationToken.None))
        {
            using (batch)
            {
                sizes.Add(batch.Length);
            }
        }

        Assert.Equal([2, 1], sizes);
    }

    [Fact]
    public async Task Read_UnknownStream_IsRefusedByName()
    {
        var options = _feeds.Options(Feeds.RssUrl);
        var request = new ReadRequest("entries", SyncMode.Full);

        var error = await Assert.ThrowsAsync<PluginException>(async () =>
        {
            await foreach (var batch in _feeds.Harness.Connector.ReadAsync(options, request, _feeds.Harness.Context, CancellationToken.None))
            {
                batch.Dispose();
            }
        });

        Assert.Contains("'entries'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'items'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_CancelledToken_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _feeds.Harness.ReadAsync(_feeds.Options(Feeds.RssUrl), RssConnector.StreamName, cancellationToken: cancellation.Token));
    }
}
