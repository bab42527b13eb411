namespace Ratatouille.Query;

/// <summary>A result column: its name and DuckDB type.</summary>
public sealed record ResultColumn(string Name, string Type);
