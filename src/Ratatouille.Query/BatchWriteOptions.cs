namespace Ratatouille.Query;

/// <summary>How <see cref="DatasetWriter.WriteBatchesAsync"/> treats an Arrow batch source.</summary>
public sealed record BatchWriteOptions
{
    /// <summary>The defaults: 5 minutes idle timeout, 4 buffered batches.</summary>
    public static BatchWriteOptions Default { get; } = new();

    /// <summary>
    /// The longest wait for the source's next batch. A source that sends nothing for this long fails
    /// the write (and is abandoned if it ignores cancellation). At most one day.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Batches read ahead of DuckDB. Memory is bounded by roughly this many batches plus one per
    /// DuckDB thread being converted.
    /// </summary>
    public int BufferedBatches { get; init; } = 4;

    /// <summary>Fail if the dataset already exists (see <see cref="Ratatouille.Catalog.Model.CommitRequest.CreateOnly"/>).</summary>
    public bool CreateOnly { get; init; }

    /// <summary>
    /// An append of zero rows to a dataset that exists commits nothing and returns its current snapshot
    /// (an incremental extract that found nothing new). A dataset that does not exist yet is still created.
    /// </summary>
    public bool SkipEmptyAppend { get; init; }

    /// <summary>
    /// Runs after the source was read to the end and the file is durable and stored, just before the
    /// snapshot commit (not when an empty append is skipped). A failure here aborts the write with
    /// nothing committed. Extracts use it to persist the stream state they will adopt if the commit lands.
    /// </summary>
    public Func<CancellationToken, Task>? BeforeCommit { get; init; }

    /// <summary>
    /// The commit fails with a conflict unless the dataset is still at this snapshot (see
    /// <see cref="Ratatouille.Catalog.Model.CommitRequest.ExpectedSnapshotId"/>): an incremental extract
    /// appends only onto the contents its position was worked out for.
    /// </summary>
    public long? ExpectedSnapshotId { get; init; }
}
