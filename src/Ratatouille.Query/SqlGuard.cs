using System.Text.Json;
using DuckDB.NET.Data;

namespace Ratatouille.Query;

/// <summary>
/// Admits only a single read-only SELECT, using DuckDB's own parser: <c>json_serialize_sql</c>
/// serialises SELECT statements and refuses everything else (COPY, ATTACH, SET, PRAGMA,
/// INSTALL/LOAD, DDL, DML). File and network access inside a SELECT is the sandbox
/// configuration's job. Also lists the tables a statement names, so their files can be fetched.
/// </summary>
internal static class SqlGuard
{
    public static AnalyzedSql Analyze(DuckDBConnection connection, string sql)
    {
        var text = sql.TrimEnd();
        while (text.EndsWith(';'))
        {
            text = text[..^1].TrimEnd();
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new QueryException(QueryErrorKind.Invalid, "The SQL statement is empty.");
        }

        string json;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT json_serialize_sql($1::VARCHAR)::VARCHAR";
            command.Parameters.Add(new DuckDBParameter(text));
            json = (string)command.ExecuteScalar()!;
        }

        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.GetProperty("error").GetBoolean())
        {
            var message = root.TryGetProperty("error_message", out var m) ? m.GetString() ?? "invalid SQL" : "invalid SQL";
            int? position = root.TryGetProperty("position", out var p) && int.TryParse(p.GetString(), out var pos) ? pos : null;
            if (message.Contains("Only SELECT statements can be serialized", StringComparison.OrdinalIgnoreCase))
            {
                throw new QueryException(
                    QueryErrorKind.Refused,
                    "Only a single read-only SELECT statement is allowed (no COPY, ATTACH, INSTALL/LOAD, SET, PRAGMA, DDL or DML).");
            }

            var type = root.TryGetProperty("error_type", out var t) ? t.GetString() : null;
            throw new QueryException(QueryErrorKind.Invalid, type is null ? message : $"{Capitalise(type)} error: {message}", position);
        }

        var statements = root.GetProperty("statements");
        if (statements.GetArrayLength() != 1)
        {
            throw new QueryException(QueryErrorKind.Refused, $"Exactly one statement is allowed; found {statements.GetArrayLength()}.");
        }

        var tables = new HashSet<(string Schema, string Table)>();
        CollectTables(statements[0], tables);
        return new AnalyzedSql(text, tables);
    }

    private static void CollectTables(JsonElement element, HashSet<(string, string)> tables)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "BASE_TABLE"
                    && element.TryGetProperty("table_name", out var table))
                {
                    var schema = element.TryGetProperty("schema_name", out var s) ? s.GetString() ?? string.Empty : string.Empty;
                    tables.Add((schema.ToLowerInvariant(), (table.GetString() ?? string.Empty).ToLowerInvariant()));
                }

                foreach (var property in element.EnumerateObject())
                {
                    CollectTables(property.Value, tables);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectTables(item, tables);
                }

                break;
        }
    }

    private static string Capitalise(string value) => value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..].ToLowerInvariant();
}

/// <summary>A statement that passed the guard, with the tables it names as (schema, table).</summary>
internal sealed record AnalyzedSql(string Sql, IReadOnlySet<(string Schema, string Table)> Tables);
