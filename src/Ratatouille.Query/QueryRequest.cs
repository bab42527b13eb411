namespace Ratatouille.Query;

/// <summary>A statement to run in the sandbox.</summary>
public sealed record QueryRequest(string Sql)
{
    /// <summary>Most rows to return; <c>null</c> means the configured default for JSON and no limit for exports.</summary>
    public int? Limit { get; init; }

    /// <summary>Rows to skip (data API paging).</summary>
    public long Offset { get; init; }

    /// <summary>Datasets to read at an older snapshot, e.g. <c>{"bronze.orders": 12}</c> (time travel).</summary>
    public IReadOnlyDictionary<string, long>? Snapshots { get; init; }

    /// <summary>Positional parameters <c>$1</c>, <c>$2</c>… (kernel-built statements only).</summary>
    public IReadOnlyList<object?> Parameters { get; init; } = [];
}
