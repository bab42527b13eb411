namespace Ratatouille.Client.Contracts;

/// <summary>A column: name and DuckDB type, e.g. <c>DECIMAL(18,2)</c>.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">DuckDB type name.</param>
public sealed record ColumnDto(string Name, string Type);
