using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Ratatouille.Sdk;
using SQLitePCL;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>
/// One read-only connection to the database file for one operation. SQLite's API is synchronous: the work
/// runs on the thread pool, and cancelling interrupts the statement in progress (sqlite3_interrupt), since
/// <see cref="SqliteCommand.Cancel"/> does nothing.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    private const int SampleRows = 1000;
    private static readonly string[] RowidAliases = ["rowid", "_rowid_", "oid"];

    private readonly SqliteConnection _connection;

    private SqliteDatabase(SqliteConnection connection, string file)
    {
        _connection = connection;
        File = file;
    }

    /// <summary>The file as configured (for messages).</summary>
    public string File { get; }

    public SqliteConnection Connection => _connection;

    /// <summary>Opens the file read-only after confining it to the import roots.</summary>
    /// <exception cref="PluginException">The path is refused, the file is missing, or it is not a SQLite database.</exception>
    public static async Task<SqliteDatabase> OpenAsync(SqliteOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        SqliteOptionsValidator.ThrowIfInvalid(options);
        var path = DatabasePath.Resolve(options.Path, context.Files.ImportRoots);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,

            // A pooled connection would keep the file open after the operation (and the plugin unloaded).
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ConnectionString);
        var database = new SqliteDatabase(connection, options.Path);
        try
        {
            await database.RunAsync(() =>
            {
                connection.Open();

                // Queries are the user's SQL: they may not reach other files through ATTACH, nor load extensions.
                raw.sqlite3_limit(connection.Handle, raw.SQLITE_LIMIT_ATTACHED, 0);
                connection.EnableExtensions(false);
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA query_only = ON; SELECT count(*) FROM sqlite_schema;";
                command.ExecuteScalar();
                return 0;
            }, $"The database file '{options.Path}' cannot be opened", cancellationToken);
            context.Logger.LogDebug("Opened {File} read-only", options.Path);
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the thread pool with cancellation wired to sqlite3_interrupt; SQLite errors
    /// become <see cref="PluginException"/>s starting with <paramref name="what"/>.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<T> work, string what, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await Task.Run(() =>
        {
            using var registration = cancellationToken.Register(static state =>
            {
                if (((SqliteConnection)state!).Handle is { } handle)
                {
                    raw.sqlite3_interrupt(handle);
                }
            }, _connection);
            try
            {
                return work();
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == raw.SQLITE_INTERRUPT && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The read was cancelled.", ex, cancellationToken);
            }
            catch (SqliteException ex)
            {
                throw new PluginException($"{what}: {ex.Message}", ex);
            }
        }, cancellationToken);
    }

    /// <summary>The streams: tables and views (SQLite's own and virtual tables' shadow tables left out), then the queries.</summary>
    public List<SqliteSource> Sources(SqliteOptions options)
    {
        var sources = new List<SqliteSource>();
        if (options.IncludeTables)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT name, type FROM pragma_table_list
                WHERE schema = 'main' AND type IN ('table', 'view', 'virtual') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
                ORDER BY name
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                var type = reader.GetString(1);
                sources.Add(new SqliteSource(name, type == "view" ? SourceKind.View : SourceKind.Table, Quote(name), IsVirtual: type == "virtual"));
            }
        }

        foreach (var query in options.Queries)
        {
            if (sources.FirstOrDefault(s => string.Equals(s.Name, query.Name, StringComparison.OrdinalIgnoreCase)) is { } clash)
            {
                throw new PluginException($"The query '{query.Name}' has the name of the {clash}; give it another name.");
            }

            sources.Add(new SqliteSource(query.Name, SourceKind.Query, $"(\n{TrimSql(query.Sql)}\n)", Sql: query.Sql));
        }

        return sources;
    }

    /// <summary>The columns, key and cursor of a source.</summary>
    /// <exception cref="PluginException">A query is not one read-only statement, or names columns it does not return.</exception>
    public SqliteTable Describe(SqliteSource source, SqliteOptions options)
    {
        if (source.Kind == SourceKind.Query)
        {
            CheckQuery(source);
        }

        var declared = DeclaredColumns(source);
        var info = source.Kind == SourceKind.Table ? TableInfo(source) : [];
        var duplicate = declared.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new PluginException($"The {source} returns the column '{duplicate.Key}' twice; give the columns distinct names (… AS other_name).");
        }

        var columns = new List<SqliteColumn>(declared.Count);
        foreach (var (name, type) in declared)
        {
            var (kind, precision, scale, needs) = TypeMapping.FromDeclared(type);
            if (needs != TypeMapping.Needs.Nothing)
            {
                kind = FromValues(source, name, needs);
            }

            var nullable = !(info.TryGetValue(name, out var column) && (column.NotNull || column.RowidAlias || column.KeyOfWithoutRowid));
            columns.Add(new SqliteColumn(name, type, kind, nullable, precision, scale));
        }

        List<string> primaryKey;
        string? cursor;
        if (source.Kind == SourceKind.Query)
        {
            var query = options.Queries.First(q => q.Name == source.Name);
            primaryKey = query.PrimaryKey;
            cursor = string.IsNullOrEmpty(query.CursorField) ? null : query.CursorField;
        }
        else
        {
            primaryKey = info.Values.Where(c => c.KeyPosition > 0).OrderBy(c => c.KeyPosition).Select(c => c.Name).ToList();
            options.CursorFields.TryGetValue(source.Name, out cursor);
            if (cursor is null && primaryKey.Count == 1 && columns.First(c => c.Name == primaryKey[0]).Kind == ColumnKind.Integer)
            {
                cursor = primaryKey[0];
            }
        }

        foreach (var key in primaryKey.Where(k => columns.All(c => c.Name != k)))
        {
            throw new PluginException($"The primary key column '{key}' is not a column of the {source} ({string.Join(", ", columns.Select(c => c.Name))}).");
        }

        if (cursor is not null && columns.FirstOrDefault(c => c.Name == cursor) is not { CanBeCursor: true })
        {
            throw new PluginException($"'{cursor}' cannot be the cursor of the {source}: " +
                (columns.Any(c => c.Name == cursor) ? "its values are booleans or BLOBs, which have no useful order." : $"it has no such column ({string.Join(", ", columns.Select(c => c.Name))})."));
        }

        var rowid = source.Kind == SourceKind.Table ? RowidAlias(source, columns) : null;
        return new SqliteTable(source, columns, primaryKey, cursor, rowid);
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>A double-quoted identifier.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string TrimSql(string sql) => sql.Trim().TrimEnd(';').TrimEnd();

    // The user's SQL must be exactly one statement that reads: it is wrapped in a subquery, and a second
    // statement smuggled after a ')' must not run.
    private void CheckQuery(SqliteSource source)
    {
        var sql = TrimSql(source.Sql!);
        var rc = raw.sqlite3_prepare_v2(_connection.Handle, sql, out var statement, out var tail);
        using (statement)
        {
            if (rc != raw.SQLITE_OK)
            {
                throw new PluginException($"The {source} does not compile: {raw.sqlite3_errmsg(_connection.Handle).utf8_to_string()}");
            }

            if (!string.IsNullOrWhiteSpace(tail))
            {
                throw new PluginException($"The {source} holds more than one statement; a query is one SELECT.");
            }

            if (statement is null || statement.IsInvalid || raw.sqlite3_stmt_readonly(statement) == 0 || raw.sqlite3_column_count(statement) == 0)
            {
                throw new PluginException($"The {source} is not a SELECT; a query may only read.");
            }

            // In a subquery SQLite would rename a repeated column ("id:1"); better to say so than to invent names.
            var names = Enumerable.Range(0, raw.sqlite3_column_count(statement)).Select(i => raw.sqlite3_column_name(statement, i).utf8_to_string()).ToList();
            if (names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new PluginException($"The {source} returns the column '{twice.Key}' twice; give the columns distinct names (… AS other_name).");
            }
        }
    }

    private List<(string Name, string Type)> DeclaredColumns(SqliteSource source)
    {
        var rc = raw.sqlite3_prepare_v2(_connection.Handle, $"SELECT * FROM {source.From}", out var statement);
        using (statement)
        {
            if (rc != raw.SQLITE_OK)
            {
                throw new PluginException($"The {source} cannot be read: {raw.sqlite3_errmsg(_connection.Handle).utf8_to_string()}");
            }

            var count = raw.sqlite3_column_count(statement);
            var columns = new List<(string, string)>(count);
            for (var i = 0; i < count; i++)
            {
                columns.Add((raw.sqlite3_column_name(statement, i).utf8_to_string(), raw.sqlite3_column_decltype(statement, i).utf8_to_string() ?? ""));
            }

            return columns;
        }
    }

    private Dictionary<string, TableColumn> TableInfo(SqliteSource source)
    {
        var withoutRowid = false;
        using (var list = _connection.CreateCommand())
        {
            list.CommandText = "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = $name";
            list.Parameters.AddWithValue("$name", source.Name);
            withoutRowid = list.ExecuteScalar() is long wr && wr != 0;
        }

        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT name, type, \"notnull\", pk FROM pragma_table_info($name)";
        command.Parameters.AddWithValue("$name", source.Name);
        using var reader = command.ExecuteReader();
        var columns = new List<TableColumn>();
        while (reader.Read())
        {
            var keyPosition = reader.GetInt32(3);
            columns.Add(new TableColumn(reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0, keyPosition, false, withoutRowid && keyPosition > 0));
        }

        // INTEGER PRIMARY KEY (exactly that type, one key column) is the row id itself: never null.
        var keys = columns.Where(c => c.KeyPosition > 0).ToList();
        if (!withoutRowid && keys.Count == 1 && keys[0].Type.Equals("INTEGER", StringComparison.OrdinalIgnoreCase))
        {
            columns[columns.IndexOf(keys[0])] = keys[0] with { RowidAlias = true };
        }

        return columns.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
    }

    private string? RowidAlias(SqliteSource source, List<SqliteColumn> columns)
    {
        foreach (var alias in RowidAliases.Where(a => columns.All(c => !c.Name.Equals(a, StringComparison.OrdinalIgnoreCase))))
        {
            var rc = raw.sqlite3_prepare_v2(_connection.Handle, $"SELECT {alias} FROM {source.From}", out var statement);
            statement?.Dispose();
            if (rc == raw.SQLITE_OK)
            {
                return alias;
            }
        }

        return null;
    }

    private ColumnKind FromValues(SqliteSource source, string column, TypeMapping.Needs needs)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {Quote(column)} FROM {source.From} WHERE {Quote(column)} IS NOT NULL LIMIT {SampleRows}";
        using var reader = command.ExecuteReader();
        var classes = new HashSet<string>(StringComparer.Ordinal);
        bool dates = true, dateTimes = true, zones = false;
        while (reader.Read())
        {
            var value = reader.GetValue(0);
            classes.Add(value switch { long => "integer", double => "real", string => "text", _ => "blob" });
            if (value is string text)
            {
                dates &= DateTimeText.TryParseDate(text, out _);
                dateTimes &= DateTimeText.TryParse(text, out _, out var zone);
                zones |= zone;
            }
            else
            {
                dates = dateTimes = false;
            }
        }

        var timestamp = zones ? ColumnKind.TimestampUtc : ColumnKind.Timestamp;
        return needs switch
        {
            TypeMapping.Needs.StorageClasses => TypeMapping.FromStorageClasses(classes),
            TypeMapping.Needs.DateValues => dates ? ColumnKind.Date : dateTimes ? timestamp : ColumnKind.Text,
            _ => dateTimes ? timestamp : ColumnKind.Text,
        };
    }

    private sealed record TableColumn(string Name, string Type, bool NotNull, int KeyPosition, bool RowidAlias, bool KeyOfWithoutRowid);
}
