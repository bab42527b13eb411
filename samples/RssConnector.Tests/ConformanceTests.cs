using Ratatouille.Sdk;
using Xunit.Abstractions;

namespace Ratatouille.Samples.Rss.Tests;

public sealed class ConformanceTests(ITestOutputHelper output)
{
    private readonly Feeds _feeds = new();

    [Theory]
    [InlineData(Feeds.RssUrl)]
    [InlineData(Feeds.AtomUrl)]
    public async Task CheckConformance_Rss2AndAtom_Pass(string url)
    {
        var report = await _feeds.Harness.CheckConformanceAsync(_feeds.Options(url));
        output.WriteLine(report.ToString());

        report.ThrowIfFailed();
        // The cancellation check needs more than one batch to mean something: the fixtures have 2 and 3 items.
        Assert.Contains(report.Checks, c => c.Name == "cancel items" && c.Message.StartsWith("stopped", StringComparison.Ordinal));
        Assert.Contains(report.Checks, c => c.Name == "incremental items" && c.Passed);
    }

    [Fact]
    public async Task Discover_OneItemsStream_WithTheDocumentedColumns()
    {
        var streams = await _feeds.Harness.DiscoverAsync(_feeds.Options(Feeds.RssUrl));

        var stream = Assert.Single(streams);
        Assert.Equal("items", stream.Name);
        Assert.Equal(
            ["id", "title", "link", "published", "updated", "author", "summary", "categories", "feed_title"],
            stream.Schema.FieldsList.Select(f => f.Name));
        Assert.Equal("UTC", ((Apache.Arrow.Types.TimestampType)stream.Schema.GetFieldByName("published").DataType).Timezone);
        Assert.Equal([SyncMode.Full, SyncMode.Incremental], stream.SupportedModes);
        Assert.Equal(["published", "updated"], stream.CursorFields);
        Assert.Equal("published", stream.DefaultCursorField);
        Assert.Equal(["id"], stream.PrimaryKey);
    }
}
