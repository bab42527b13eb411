namespace Ratatouille.Query;

/// <summary>A user statement that could not run, with where in the SQL DuckDB pointed (0-based character offset).</summary>
public sealed class QueryException : Exception
{
    public QueryException(QueryErrorKind kind, string message, int? position = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Position = position;
    }

    public QueryException()
    {
    }

    public QueryException(string message)
        : base(message)
    {
    }

    public QueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public QueryErrorKind Kind { get; }

    public int? Position { get; }

    /// <summary>1-based line and column of <see cref="Position"/> in <paramref name="sql"/>.</summary>
    public (int Line, int Column)? LineColumn(string sql)
    {
        if (Position is not { } p || p < 0 || p > sql.Length)
        {
            return null;
        }

        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < p; i++)
        {
            if (sql[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, p - lineStart + 1);
    }
}
