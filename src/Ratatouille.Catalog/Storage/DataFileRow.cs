namespace Ratatouille.Catalog.Storage;

/// <summary>
/// A data file's membership in a dataset's history: live in every snapshot from
/// <see cref="BeginSnapshotId"/> up to, not including, <see cref="EndSnapshotId"/>.
/// A rollback re-adds files as new rows, so one object key may have several rows.
/// </summary>
public sealed class DataFileRow
{
    public long Id { get; set; }

    public long DatasetId { get; set; }

    public string Key { get; set; } = string.Empty;

    public long RowCount { get; set; }

    public long Bytes { get; set; }

    public long BeginSnapshotId { get; set; }

    public long? EndSnapshotId { get; set; }
}
