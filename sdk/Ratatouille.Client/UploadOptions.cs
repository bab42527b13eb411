using Refit;

namespace Ratatouille.Client;

/// <summary>Query parameters of an upload.</summary>
public sealed record UploadOptions
{
    /// <summary><c>append</c> (default; creates the dataset if needed), <c>replace</c> or <c>create</c> (fails if it exists).</summary>
    [AliasAs("mode")]
    public string? Mode { get; init; }

    /// <summary><c>csv</c>, <c>tsv</c>, <c>json</c> or <c>parquet</c>; inferred from the file name when omitted.</summary>
    [AliasAs("format")]
    public string? Format { get; init; }

    /// <summary>CSV delimiter (one character, or <c>\t</c>).</summary>
    [AliasAs("delimiter")]
    public string? Delimiter { get; init; }

    /// <summary>Whether the CSV has a header line.</summary>
    [AliasAs("header")]
    public bool? Header { get; init; }

    /// <summary>Column type overrides as <c>column:TYPE</c>.</summary>
    [AliasAs("types")]
    [Query(CollectionFormat.Multi)]
    public IReadOnlyList<string>? Types { get; init; }
}
