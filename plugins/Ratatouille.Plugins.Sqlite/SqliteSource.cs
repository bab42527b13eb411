namespace Ratatouille.Plugins.Sqlite;

/// <summary>A table, view or configured query, and how to select from it.</summary>
/// <param name="From">What follows FROM: a quoted table name, or the query in parentheses.</param>
/// <param name="Sql">The query's own SQL (queries only), for messages.</param>
internal sealed record SqliteSource(string Name, SourceKind Kind, string From, bool IsVirtual = false, string? Sql = null)
{
    /// <summary>"table 'orders'", "view 'v'", "query 'q'": how messages name the source.</summary>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} '{Name}'";

    /// <summary>The same with a capital, to start a sentence.</summary>
    public string Title => $"{Kind} '{Name}'";
}
