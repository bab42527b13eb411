namespace Ratatouille.Client.Contracts;

/// <summary>An immutable version of a dataset.</summary>
public sealed record SnapshotDto
{
    /// <summary>Snapshot id (increasing over time).</summary>
    public long Id { get; init; }

    /// <summary>The snapshot this one was made on top of.</summary>
    public long? ParentId { get; init; }

    /// <summary>When it was committed (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>create</c>, <c>append</c>, <c>replace</c> or <c>rollback</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>What wrote it, e.g. <c>upload:orders.csv</c>.</summary>
    public required string Origin { get; init; }

    /// <summary>Rows in the dataset at this snapshot.</summary>
    public long RowCount { get; init; }

    /// <summary>Bytes of Parquet at this snapshot.</summary>
    public long Bytes { get; init; }

    /// <summary>Data files at this snapshot.</summary>
    public int FileCount { get; init; }

    /// <summary>True when vacuum has expired it (no longer readable).</summary>
    public bool Expired { get; init; }

    /// <summary>Schema at this snapshot.</summary>
    public required IReadOnlyList<ColumnDto> Columns { get; init; }
}
