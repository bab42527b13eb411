using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Ratatouille.Sdk;

namespace Ratatouille.Samples.Rss;

/// <summary>
/// The items of an RSS 2.0 or Atom feed as one stream. The feed is fetched once per operation; an
/// incremental read keeps the items whose published (or updated) instant is strictly newer than the last
/// one read, so scheduling it every few minutes appends each new item once.
/// </summary>
[Connector("rss", DisplayName = "RSS / Atom feed", Category = "Feeds", Icon = "Rss",
    Description = "The items of an RSS 2.0 or Atom feed, read in full or only those published since the last run.")]
public sealed class RssConnector : Connector<RssOptions>
{
    /// <summary>The one stream a feed offers.</summary>
    public const string StreamName = "items";

    private static readonly Schema ItemSchema = Columns.Schema(
        Columns.String("id", nullable: false),
        Columns.String("title"),
        Columns.String("link"),
        Columns.TimestampUtc("published"),
        Columns.TimestampUtc("updated"),
        Columns.String("author"),
        Columns.String("summary"),
        Columns.List("categories", StringType.Default, nullable: false),
        Columns.String("feed_title"));

    /// <inheritdoc />
    public override async Task<ConnectionCheckResult> CheckAsync(RssOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        try
        {
            var feed = await FeedClient.FetchAsync(options, context, cancellationToken);
            var title = feed.Title is null ? "without a title" : $"'{feed.Title}'";
            return ConnectionCheckResult.Ok($"{feed.Format} feed {title} with {feed.Items.Count} item(s).");
        }
        catch (PluginException ex)
        {
            return ConnectionCheckResult.Failed(ex.Message);
        }
    }

    /// <inheritdoc />
    /// <remarks>Every feed has the same columns, so discovery does not fetch it (the check does).</remarks>
    public override Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(RssOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<StreamDescriptor> streams =
        [
            new StreamDescriptor(StreamName, ItemSchema)
            {
                Description = "One row per feed item (RSS <item>, Atom <entry>), in the order of the feed.",
                SupportedModes = [SyncMode.Full, SyncMode.Incremental],
                CursorFields = FeedCursor.Fields,
                DefaultCursorField = FeedCursor.Fields[0],
                PrimaryKey = ["id"],
            },
        ];
        return Task.FromResult(streams);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<RecordBatch> ReadAsync(RssOptions options, ReadRequest request, IPluginContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (request.Stream != StreamName)
        {
            throw new PluginException($"Unknown stream '{request.Stream}'; a feed has one stream, '{StreamName}'.");
        }

        var incremental = request.Mode == SyncMode.Incremental;
        var field = FeedCursor.Field(request.CursorField);
        var cursor = incremental ? FeedCursor.From(request.State) : FeedCursor.Start;
        var next = cursor;

        var feed = await FeedClient.FetchAsync(options, context, cancellationToken);
        if (feed.UnparsedDates > 0)
        {
            Log.UnparsedDates(context.Logger, feed.UnparsedDates, feed.Source);
        }

        var rows = new RowBatchBuilder(ItemSchema, Math.Max(1, request.PreferredBatchRows));
        var read = 0;
        foreach (var item in feed.Items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var instant = FeedCursor.InstantOf(item, field);
            if (incremental && !cursor.IsNew(instant))
            {
                continue;
            }

            rows.Add(item.Id, item.Title, item.Link, item.Published, item.Updated, item.Author, item.Summary, item.Categories, feed.Title);
            next = next.Advance(instant);
            read++;
            if (rows.IsFull)
            {
                yield return rows.Build();
            }
        }

        if (rows.Count > 0)
        {
            yield return rows.Build();
        }

        Log.Read(context.Logger, read, feed.Items.Count, feed.Source, request.Mode);
        if (incremental)
        {
            // After the batches: the platform stores this state only once they are committed.
            request.SaveState(next.ToJson());
        }
    }
}
