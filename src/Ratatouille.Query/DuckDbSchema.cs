using DuckDB.NET.Data;

namespace Ratatouille.Query;

/// <summary>The columns a statement produces, from DuckDB's binder (<c>DESCRIBE</c>), without running it.</summary>
public static class DuckDbSchema
{
    /// <summary>What precedes the statement in the text DuckDB sees (error positions are shifted by its length).</summary>
    public const string Prefix = "DESCRIBE (\n";

    public static List<ResultColumn> Describe(DuckDBConnection connection, string sql, IReadOnlyList<object?> parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Prefix + sql + "\n)";
        QueryEngine.AddParameters(command, parameters);
        using var reader = command.ExecuteReader();
        var columns = new List<ResultColumn>();
        while (reader.Read())
        {
            columns.Add(new ResultColumn(reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }
}
