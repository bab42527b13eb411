using System.Data;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Postgres;

/// <summary>What the database offers: relations from pg_catalog, custom queries described without running them.</summary>
internal static partial class PostgresCatalog
{
    private static readonly string[] CursorNames =
        ["updatedat", "modifiedat", "lastmodified", "lastmodifiedat", "lastupdated", "lastupdatedat", "updated", "modified"];

    /// <summary>A table, view, materialized view or foreign table, with its columns.</summary>
    public sealed record Relation(string Schema, string Name, char Kind, long EstimatedRows, string? Comment, bool Readable, IReadOnlyList<PgColumn> Columns)
    {
        public string StreamName => Schema + "." + Name;

        public string KindName => Kind switch
        {
            'v' => "View",
            'm' => "Materialized view",
            'f' => "Foreign table",
            'p' => "Partitioned table",
            _ => "Table",
        };
    }

    /// <summary>
    /// The relations of the configured schemas (all, or only <paramref name="streamName"/>), readable or not.
    /// Partitions are left out: their partitioned table already has their rows.
    /// </summary>
    public static async Task<IReadOnlyList<Relation>> RelationsAsync(NpgsqlConnection connection, PostgresOptions options, string? streamName, CancellationToken cancellationToken)
    {
        const string query = """
            SELECT n.nspname, c.relname, c.relkind::text, c.reltuples::bigint, pg_catalog.obj_description(c.oid, 'pg_class'),
                   pg_catalog.has_schema_privilege(n.oid, 'USAGE') AND pg_catalog.has_table_privilege(c.oid, 'SELECT'),
                   a.attname, a.atttypid, a.atttypmod, a.attnotnull, pg_catalog.format_type(a.atttypid, a.atttypmod),
                   a.attidentity <> '' OR coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%', false),
                   coalesce(pg_catalog.array_position(pk.indkey::int2[], a.attnum) + 1 - pg_catalog.array_lower(pk.indkey::int2[], 1), 0)
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
            LEFT JOIN pg_catalog.pg_index pk ON pk.indrelid = c.oid AND pk.indisprimary
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND NOT c.relispartition
              AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
              AND (@schemas::text[] IS NULL OR n.nspname = ANY(@schemas::text[]))
              AND (@stream::text IS NULL OR n.nspname || '.' || c.relname = @stream::text)
            ORDER BY n.nspname, c.relname, a.attnum
            """;

        var rows = new List<(string Schema, string Table, char Kind, long Estimate, string? Comment, bool Readable, ColumnRow Column)>();
        await using (var command = new NpgsqlCommand(query, connection))
        {
            command.Parameters.Add(new NpgsqlParameter("schemas", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)options.SchemaFilter?.ToArray() ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("stream", NpgsqlDbType.Text) { Value = (object?)streamName ?? DBNull.Value });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((
                    reader.GetString(0), reader.GetString(1), reader.GetString(2)[0], reader.GetInt64(3),
                    await reader.IsDBNullAsync(4, cancellationToken) ? null : reader.GetString(4),
                    reader.GetBoolean(5),
                    new ColumnRow(reader.GetString(6), reader.GetFieldValue<uint>(7), reader.GetInt32(8), reader.GetBoolean(9), reader.GetString(10), reader.GetBoolean(11), reader.GetInt32(12))));
            }
        }

        var types = new PgTypes();
        await types.LoadAsync(connection, rows.Select(r => r.Column.TypeOid), cancellationToken);
        return rows
            .GroupBy(r => (r.Schema, r.Table))
            .Select(g =>
            {
                var first = g.First();
                return new Relation(first.Schema, first.Table, first.Kind, first.Estimate, first.Comment, first.Readable, ToColumns(g.Select(r => r.Column), types));
            })
            .ToList();
    }

    /// <summary>The columns a custom query returns, from the server's description of it (the query is not run).</summary>
    /// <exception cref="PluginException">The query is not valid, or names a column twice.</exception>
    public static async Task<IReadOnlyList<PgColumn>> DescribeQueryAsync(NpgsqlConnection connection, PostgresCustomQuery query, CancellationToken cancellationToken)
    {
        List<Npgsql.Schema.NpgsqlDbColumn> described;
        try
        {
            // Described exactly as the COPY will run it, as a sub-query: this also refuses several statements,
            // and statements that return no rows (INSERT … RETURNING cannot be a sub-query).
            await using var command = new NpgsqlCommand($"SELECT * FROM {QueryFrom(query)}", connection);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken);
            described = (await reader.GetColumnSchemaAsync(cancellationToken)).Cast<Npgsql.Schema.NpgsqlDbColumn>().ToList();
        }
        catch (PostgresException ex)
        {
            throw new PluginException($"Custom query '{query.Name}' is not valid: {ex.MessageText}{(ex.Position > 0 ? string.Create(CultureInfo.InvariantCulture, $" (at character {ex.Position})") : "")}.", ex);
        }

        if (described.Count == 0)
        {
            throw new PluginException($"Custom query '{query.Name}' returns no columns; it must be a SELECT.");
        }

        var twice = described.GroupBy(c => c.ColumnName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new PluginException($"Custom query '{query.Name}' returns the column '{twice.Key}' twice; give the columns distinct names (AS …).");
        }

        var types = new PgTypes();
        await types.LoadAsync(connection, described.Select(c => c.TypeOID), cancellationToken);

        // The server describes no typmod for expressions; Npgsql gives numeric's precision and scale when it knows them.
        // Outer joins and expressions can be NULL whatever the base column says, so query columns are nullable.
        return ToColumns(
            described.Select(c =>
            {
                var typmod = NumericTypMod(c.NumericPrecision, c.NumericScale);
                var name = typmod >= 0 ? string.Create(CultureInfo.InvariantCulture, $"numeric({c.NumericPrecision},{c.NumericScale})") : types.Name(c.TypeOID);
                return new ColumnRow(c.ColumnName, c.TypeOID, typmod, NotNull: false, name, IsSerial: false, PrimaryKeyPosition: 0);
            }),
            types);
    }

    /// <summary>Statement terminators at the end, each perhaps followed by a <c>--</c> comment.</summary>
    [GeneratedRegex(@"(;\s*(--[^\n]*)?\s*)+$")]
    private static partial Regex TrailingSemicolons();

    /// <summary>
    /// A custom query as a FROM item aliased <see cref="PgStream.Alias"/>: trailing semicolons dropped, and on lines
    /// of its own so that a final <c>--</c> comment cannot swallow the closing parenthesis.
    /// </summary>
    public static string QueryFrom(PostgresCustomQuery query) => $"(\n{TrailingSemicolons().Replace(query.Sql.Trim(), "")}\n) AS {PgStream.Alias}";

    /// <summary>A relation as a FROM item aliased <see cref="PgStream.Alias"/>.</summary>
    public static string RelationFrom(Relation relation) => $"{Sql.Relation(relation.Schema, relation.Name)} AS {PgStream.Alias}";

    /// <summary>The stream descriptor of a relation or a query.</summary>
    /// <param name="configuredCursor">The default cursor the connection's configuration names for this stream.</param>
    /// <param name="primaryKey">The primary key the configuration names (custom queries), or null for the catalog's.</param>
    /// <exception cref="PluginException">The configured cursor or key names columns that cannot be one.</exception>
    public static StreamDescriptor Describe(string name, IReadOnlyList<PgColumn> columns, string description, bool isQuery, string? configuredCursor, IReadOnlyList<string>? primaryKey = null)
    {
        var schema = Columns.Schema(columns.Select(c => c.ToField()));
        var cursors = columns.Where(c => c.IsCursorCandidate).Select(c => c.FieldName).ToList();
        if (configuredCursor is not null && !cursors.Contains(configuredCursor))
        {
            throw new PluginException(columns.Any(c => c.FieldName == configuredCursor)
                ? $"The cursor field configured for '{name}', '{configuredCursor}', is not an integer, numeric, date or timestamp column (those of '{name}': {(cursors.Count == 0 ? "none" : string.Join(", ", cursors))})."
                : $"The cursor field configured for '{name}', '{configuredCursor}', is not one of its columns.");
        }

        if (primaryKey?.FirstOrDefault(k => !columns.Any(c => c.FieldName == k)) is { } unknown)
        {
            throw new PluginException($"The primary key configured for '{name}' names '{unknown}', which is not one of its columns.");
        }

        var defaultCursor = configuredCursor ?? DefaultCursor(columns, isQuery);

        // Incremental is advertised when there is a cursor to follow without asking (callers may omit the cursor
        // field). A read that names one of the cursor fields works on every stream all the same.
        return new StreamDescriptor(name, schema)
        {
            Description = description,
            SupportedModes = defaultCursor is not null ? [SyncMode.Full, SyncMode.Incremental] : [SyncMode.Full],
            CursorFields = cursors,
            DefaultCursorField = defaultCursor,
            PrimaryKey = primaryKey?.ToList() ?? columns.Where(c => c.PrimaryKeyPosition > 0).OrderBy(c => c.PrimaryKeyPosition).Select(c => c.FieldName).ToList(),
        };
    }

    /// <summary>
    /// The cursor used when the user names none: a date or timestamp column called updated_at, modified_at,
    /// last_modified… (any case, with or without underscores); else, for a table, a single-column integer primary key
    /// filled by a sequence or identity (serial ids only grow). Otherwise none: guessing wrong would silently skip rows.
    /// </summary>
    public static string? DefaultCursor(IReadOnlyList<PgColumn> columns, bool isQuery)
    {
        foreach (var name in CursorNames)
        {
            var match = columns.FirstOrDefault(c => c.IsTemporal && c.IsCursorCandidate
                && string.Equals(c.Name.Replace("_", "", StringComparison.Ordinal), name, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return match.FieldName;
            }
        }

        var key = columns.Where(c => c.PrimaryKeyPosition > 0).ToList();
        return !isQuery && key is [{ IsSerial: true, IsInteger: true } id] ? id.FieldName : null;
    }

    private static int NumericTypMod(int? precision, int? scale) =>
        precision is > 0 and <= 1000 && scale is { } s ? ((precision.Value << 16) | (s & 0x7ff)) + 4 : -1;

    private static List<PgColumn> ToColumns(IEnumerable<ColumnRow> rows, PgTypes types)
    {
        var columns = new List<PgColumn>();
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
        {
            var mapping = types.Resolve(row.TypeOid, row.TypMod);

            // PostgreSQL allows "Name" beside "name"; Arrow consumers (and DuckDB) do not.
            var fieldName = row.Name;
            for (var n = 2; !taken.Add(fieldName); n++)
            {
                fieldName = string.Create(CultureInfo.InvariantCulture, $"{row.Name}_{n}");
            }

            columns.Add(new PgColumn
            {
                Name = row.Name,
                FieldName = fieldName,
                TypeName = row.TypeName,
                Kind = mapping.Kind,
                IsArray = mapping.IsArray,
                Precision = mapping.Precision,
                Scale = mapping.Scale,
                Nullable = !row.NotNull,
                CursorType = mapping.CursorType,
                Note = mapping.Note,
                IsSerial = row.IsSerial,
                PrimaryKeyPosition = row.PrimaryKeyPosition,
            });
        }

        return columns;
    }

    private sealed record ColumnRow(string Name, uint TypeOid, int TypMod, bool NotNull, string TypeName, bool IsSerial, int PrimaryKeyPosition);
}
