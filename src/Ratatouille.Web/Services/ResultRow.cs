namespace Ratatouille.Web.Services;

/// <summary>One result row as display text; <c>null</c> cells are SQL NULLs (shown apart from the text "NULL").</summary>
public sealed record ResultRow(IReadOnlyList<string?> Cells);
