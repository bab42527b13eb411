namespace Ratatouille.Catalog.Model;

/// <summary>
/// A write to commit: files already stored in the object store, the schema they were
/// written with, and how they combine with the current snapshot.
/// </summary>
public sealed record CommitRequest(
    DatasetName Dataset,
    WriteMode Mode,
    IReadOnlyList<DataFileInfo> Files,
    IReadOnlyList<ColumnSchema> Schema,
    string Origin)
{
    /// <summary>When set, the commit fails with a conflict unless the dataset is still at this snapshot.</summary>
    public long? ExpectedSnapshotId { get; init; }

    /// <summary>When true, the commit fails with a conflict if the dataset already exists.</summary>
    public bool CreateOnly { get; init; }
}
