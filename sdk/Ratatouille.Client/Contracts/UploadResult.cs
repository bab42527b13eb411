namespace Ratatouille.Client.Contracts;

/// <summary>The outcome of a file upload.</summary>
public sealed record UploadResult
{
    /// <summary><c>layer.name</c> written.</summary>
    public required string Dataset { get; init; }

    /// <summary>The snapshot the upload committed.</summary>
    public long SnapshotId { get; init; }

    /// <summary>Rows read from the file.</summary>
    public long RowCount { get; init; }

    /// <summary>Rows in the dataset after the write.</summary>
    public long TotalRows { get; init; }

    /// <summary>Dataset schema after the write.</summary>
    public required IReadOnlyList<ColumnDto> Columns { get; init; }

    /// <summary>Where the raw file was kept in the object store.</summary>
    public string? LandingKey { get; init; }
}
