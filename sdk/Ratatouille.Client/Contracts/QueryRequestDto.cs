namespace Ratatouille.Client.Contracts;

/// <summary>A read-only SQL statement to run.</summary>
public sealed record QueryRequestDto
{
    /// <summary>One SELECT statement; datasets are <c>bronze.x</c>, <c>silver.x</c>, <c>gold.x</c>.</summary>
    public required string Sql { get; init; }

    /// <summary>Row limit. JSON: defaults to 1000, capped by the server. Exports: unlimited when omitted.</summary>
    public int? Limit { get; init; }

    /// <summary>Time travel: datasets to read at an older snapshot, e.g. <c>{"bronze.orders": 12}</c>.</summary>
    public IReadOnlyDictionary<string, long>? Snapshots { get; init; }
}
