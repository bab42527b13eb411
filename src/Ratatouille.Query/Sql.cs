namespace Ratatouille.Query;

/// <summary>Quoting for SQL text the kernel builds. User values never go through here: they are parameters.</summary>
public static class Sql
{
    /// <summary>A double-quoted identifier.</summary>
    public static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A single-quoted string literal.</summary>
    public static string Literal(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("SQL literals cannot contain NUL characters.", nameof(value));
        }

        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A DuckDB list literal of strings, e.g. a list of file paths.</summary>
    public static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Literal)) + "]";
}
