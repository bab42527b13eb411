using System.Text.Json.Nodes;
using Ratatouille.Sdk;

namespace Ratatouille.Samples.Rss.Tests;

public sealed class IncrementalTests
{
    private readonly Feeds _feeds = new();

    [Fact]
    public async Task Incremental_FeedWithOneNewerItem_ReadsOnlyThatItem()
    {
        var options = _feeds.Options(Feeds.RssUrl);
        var first = await _feeds.ReadAsync(options, SyncMode.Incremental);
        Assert.Equal(3, first.Rows.Count);
        Assert.Equal("""{"cursor":"2024-06-04T07:30:00Z"}""", first.Checkpoint!.ToJsonString());

        _feeds.Server.Serve(Feeds.RssUrl, Feeds.Read("rss2-newer.xml"));
        var second = await _feeds.ReadAsync(options, SyncMode.Incremental, first.Checkpoint);

        var row = Assert.Single(second.Rows);
        Assert.Equal("https://kitchen.example.com/posts/soupe", row["id"]);
        Assert.Equal(Feeds.Utc("2024-06-05T07:00:00Z"), row["published"]);
        Assert.Equal("""{"cursor":"2024-06-05T07:00:00Z"}""", second.Checkpoint!.ToJsonString());

        var third = await _feeds.ReadAsync(options, SyncMode.Incremental, second.Checkpoint);
        Assert.Empty(third.Rows);
        Assert.Equal(second.Checkpoint.ToJsonString(), third.Checkpoint!.ToJsonString());
    }

    [Fact]
    public async Task Incremental_ItemsAtTheCursorInstant_AreNotReadAgain()
    {
        // Strictly newer: the item published exactly at the saved cursor was read by the run that saved it.
        var state = JsonNode.Parse("""{"cursor":"2024-06-03T18:00:00Z"}""");

        var result = await _feeds.ReadAsync(_feeds.Options(Feeds.RssUrl), SyncMode.Incremental, state);

        Assert.Equal(["urn:kitchen:post:3"], result.Rows.Select(r => r["id"]));
    }

    [Fact]
    public async Task Incremental_UpdatedCursor_FollowsEdits()
    {
        // By "updated", the ratatouille post (published 18:00, edited 19:15) is newer than 19:00; by "published" it is not.
        var state = JsonNode.Parse("""{"cursor":"2024-06-03T19:00:00Z"}""");
        var options = _feeds.Options(Feeds.RssUrl);

        var byUpdated = await _feeds.ReadAsync(options, SyncMode.Incremental, state, cursorField: "updated");
        var byPublished = await _feeds.ReadAsync(options, SyncMode.Incremental, state, cursorField: "published");

        Assert.Equal(["urn:kitchen:post:3", "https://kitchen.example.com/posts/ratatouille"], byUpdated.Rows.Select(r => r["id"]));
        Assert.Equal(["urn:kitchen:post:3"], byPublished.Rows.Select(r => r["id"]));
    }

    [Fact]
    public async Task Full_IgnoresState_AndSavesNone()
    {
        var state = JsonNode.Parse("""{"cursor":"2030-01-01T00:00:00Z"}""");

        var result = await _feeds.ReadAsync(_feeds.Options(Feeds.RssUrl), SyncMode.Full, state);

        Assert.Equal(3, result.Rows.Count);
        Assert.Null(result.Checkpoint);
    }

    [Theory]
    [InlineData("""{"position": 3}""")]
    [InlineData("""{"cursor": "yesterday"}""")]
    [InlineData("""{"cursor": 42}""")]
    public async Task Incremental_ForeignState_FailsWithAClearMessage(string state)
    {
        var error = await Assert.ThrowsAsync<PluginException>(() =>
            _feeds.ReadAsync(_feeds.Options(Feeds.RssUrl), SyncMode.Incremental, JsonNode.Parse(state)));

        Assert.Contains("full refresh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incremental_UnknownCursorField_NamesTheValidOnes()
    {
        var error = await Assert.ThrowsAsync<PluginException>(() =>
            _feeds.ReadAsync(_feeds.Options(Feeds.RssUrl), SyncMode.Incremental, cursorField: "title"));

        Assert.Contains("published or updated", error.Message, StringComparison.Ordinal);
    }
}
