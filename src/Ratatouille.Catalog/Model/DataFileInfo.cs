namespace Ratatouille.Catalog.Model;

/// <summary>One immutable Parquet file of a snapshot.</summary>
public sealed record DataFileInfo(string Key, long RowCount, long Bytes);
