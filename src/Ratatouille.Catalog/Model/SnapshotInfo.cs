namespace Ratatouille.Catalog.Model;

/// <summary>An immutable version of a dataset.</summary>
public sealed record SnapshotInfo(
    long Id,
    long? ParentId,
    DateTime CreatedAt,
    string Operation,
    string Origin,
    IReadOnlyList<ColumnSchema> Schema,
    long RowCount,
    long Bytes,
    int FileCount,
    bool Expired);
