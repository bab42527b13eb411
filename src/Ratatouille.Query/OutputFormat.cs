namespace Ratatouille.Query;

/// <summary>How a result is written.</summary>
public enum OutputFormat
{
    /// <summary><c>{columns, rows, rowCount, truncated, elapsedMs}</c>, row-limited, for interactive use.</summary>
    Json,

    /// <summary>RFC 4180 CSV with a header row.</summary>
    Csv,

    /// <summary>A Parquet file.</summary>
    Parquet,

    /// <summary>Apache Arrow IPC stream.</summary>
    Arrow,
}
