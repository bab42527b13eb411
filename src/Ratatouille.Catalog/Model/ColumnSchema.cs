namespace Ratatouille.Catalog.Model;

/// <summary>One column of a dataset: its name and its DuckDB type (e.g. <c>DECIMAL(18,2)</c>).</summary>
public sealed record ColumnSchema(string Name, string Type);
