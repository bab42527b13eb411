using Refit;

namespace Ratatouille.Client;

/// <summary>Query parameters of the data API.</summary>
public sealed record RowsOptions
{
    /// <summary>Rows per page.</summary>
    [AliasAs("limit")]
    public int? Limit { get; init; }

    /// <summary>Rows to skip.</summary>
    [AliasAs("offset")]
    public long? Offset { get; init; }

    /// <summary>Comma-separated columns.</summary>
    [AliasAs("select")]
    public string? Select { get; init; }

    /// <summary>Comma-separated <c>column[:asc|desc]</c>.</summary>
    [AliasAs("orderBy")]
    public string? OrderBy { get; init; }

    /// <summary>Filters <c>column:op:value</c> (op: eq, ne, lt, le, gt, ge, like, ilike, in, isnull, notnull).</summary>
    [AliasAs("filter")]
    [Query(CollectionFormat.Multi)]
    public IReadOnlyList<string>? Filter { get; init; }

    /// <summary>Snapshot to read (stable paging, time travel).</summary>
    [AliasAs("snapshot")]
    public long? Snapshot { get; init; }
}
