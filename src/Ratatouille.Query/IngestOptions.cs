namespace Ratatouille.Query;

/// <summary>How to read an uploaded file. Everything unset is inferred by DuckDB's sniffer.</summary>
public sealed record IngestOptions
{
    /// <summary>The file's format; inferred from its extension when null.</summary>
    public FileFormat? Format { get; init; }

    /// <summary>CSV field delimiter: one character, or <c>\t</c>/<c>tab</c>.</summary>
    public string? Delimiter { get; init; }

    /// <summary>Whether the first CSV line holds column names.</summary>
    public bool? Header { get; init; }

    /// <summary>CSV quote character.</summary>
    public string? Quote { get; init; }

    /// <summary>Text that stands for NULL in CSV.</summary>
    public string? NullString { get; init; }

    /// <summary>Column types to use instead of inferred ones, e.g. <c>zip → VARCHAR</c>.</summary>
    public IReadOnlyDictionary<string, string>? Types { get; init; }
}
