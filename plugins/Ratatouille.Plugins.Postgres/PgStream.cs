using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Postgres;

/// <summary>A stream resolved for reading: its descriptor, its columns and what the COPY selects from.</summary>
/// <param name="Descriptor">What discovery reports for the stream.</param>
/// <param name="Columns">The columns, in the descriptor's order.</param>
/// <param name="From">The FROM item, aliased <c>t</c>: a quoted relation or the custom query in parentheses.</param>
internal sealed record PgStream(StreamDescriptor Descriptor, IReadOnlyList<PgColumn> Columns, string From)
{
    public const string Alias = "t";

    public string Name => Descriptor.Name;

    /// <summary>
    /// The COPY statement. An incremental read orders by the cursor (NULLs first, so they are read once, on the
    /// first run) and, when resuming, keeps the rows after the saved value, which it takes from a session
    /// setting because COPY accepts no parameters. Columns are qualified with the alias everywhere: an
    /// unqualified ORDER BY name would mean the SELECT list's output column, a text cast for some types.
    /// </summary>
    public string CopySql(PgColumn? cursor, bool resume)
    {
        var select = string.Join(", ", Columns.Select(c => c.SelectExpression(Alias)));
        var sql = $"SELECT {select} FROM {From}";
        if (cursor is not null)
        {
            var key = $"{Alias}.{Sql.Ident(cursor.Name)}";
            sql += resume
                ? $" WHERE {key} > pg_catalog.current_setting('{PostgresSession.CursorSetting}')::{cursor.CursorType} ORDER BY {key}"
                : $" ORDER BY {key} NULLS FIRST";
        }

        return $"COPY ({sql}) TO STDOUT (FORMAT BINARY)";
    }
}
