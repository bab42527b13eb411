namespace Ratatouille.Client.Contracts;

/// <summary>A dataset in the catalog with the figures of its current snapshot.</summary>
public sealed record DatasetSummary
{
    /// <summary><c>bronze</c>, <c>silver</c> or <c>gold</c>.</summary>
    public required string Layer { get; init; }

    /// <summary>The dataset's name within its layer.</summary>
    public required string Name { get; init; }

    /// <summary><c>layer.name</c>, as used in SQL.</summary>
    public string FullName => $"{Layer}.{Name}";

    /// <summary>Rows in the current snapshot.</summary>
    public long RowCount { get; init; }

    /// <summary>Bytes of Parquet in the current snapshot.</summary>
    public long Bytes { get; init; }

    /// <summary>Data files in the current snapshot.</summary>
    public int FileCount { get; init; }

    /// <summary>The current snapshot's id.</summary>
    public long? CurrentSnapshotId { get; init; }

    /// <summary>When the dataset was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the current snapshot was committed (UTC).</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}
