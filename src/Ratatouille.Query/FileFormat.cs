namespace Ratatouille.Query;

/// <summary>Formats a file can be ingested from.</summary>
public enum FileFormat
{
    Csv,
    Tsv,
    Json,
    Parquet,
}
