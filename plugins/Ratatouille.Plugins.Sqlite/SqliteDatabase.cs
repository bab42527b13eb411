using Microsoft.Extensions.Logging;
using Ratatouille.Sdk;
using SQLitePCL;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>
/// One read-only connection to the database file for one operation, on the raw SQLite API (SQLitePCLRaw).
/// Not Microsoft.Data.Sqlite: its connection factory starts a timer and subscribes to process events, which
/// would keep the plugin loaded for ever. Nothing here outlives the operation: no timer, no event, no
/// callback registered with SQLite; the connection is closed by <see cref="Dispose"/>. SQLite's API is
/// synchronous: the work runs on the thread pool, and cancelling interrupts the statement in progress
/// (sqlite3_interrupt).
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    private const int SampleRows = 1000;
    private static readonly string[] RowidAliases = ["rowid", "_rowid_", "oid"];
    private static readonly TimeSpan BusyRetryDelay = TimeSpan.FromMilliseconds(150);

    private sqlite3? _handle;

    // The token of the operation in progress (RunAsync), for the waits on a locked database.
    private CancellationToken _cancellation;

    static SqliteDatabase() => Batteries_V2.Init();

    private SqliteDatabase(string file)
    {
        File = file;
    }

    /// <summary>The file as configured (for messages).</summary>
    public string File { get; }

    /// <summary>The open connection.</summary>
    public sqlite3 Handle => _handle is { IsInvalid: false } handle ? handle : throw new ObjectDisposedException(nameof(SqliteDatabase), "The database is not open.");

    /// <summary>The SQLite library's version, e.g. 3.49.1.</summary>
    public static string Version => raw.sqlite3_libversion().utf8_to_string() ?? "";

    /// <summary>Opens the file read-only after confining it to the import roots.</summary>
    /// <exception cref="PluginException">The path is refused, the file is missing, or it is not a SQLite database.</exception>
    public static async Task<SqliteDatabase> OpenAsync(SqliteOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        SqliteOptionsValidator.ThrowIfInvalid(options);
        var path = DatabasePath.Resolve(options.Path, context.Files.ImportRoots);
        var database = new SqliteDatabase(options.Path);
        try
        {
            await database.RunAsync(() =>
            {
                database.Open(path);
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
            // Unregistered before the work returns: nothing keeps the token and this connection tied together after it.
            using var registration = cancellationToken.Register(static state =>
            {
                if (((SqliteDatabase)state!)._handle is { IsInvalid: false } handle)
                {
                    raw.sqlite3_interrupt(handle);
                }
            }, this);
            _cancellation = cancellationToken;
            try
            {
                return work();
            }
            catch (SqliteError ex) when (ex.Code == raw.SQLITE_INTERRUPT && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The read was cancelled.", ex, cancellationToken);
            }
            catch (SqliteError ex)
            {
                throw new PluginException($"{what}: {ex.Message}", ex);
            }
            finally
            {
                _cancellation = CancellationToken.None;
            }
        }, cancellationToken);
    }

    /// <summary>Prepares one statement.</summary>
    /// <exception cref="SqliteError">It does not compile.</exception>
    public SqliteStatement Prepare(string sql) => SqliteStatement.Prepare(this, sql);

    /// <summary>Runs one statement to its end.</summary>
    /// <exception cref="SqliteError">It fails.</exception>
    public void Execute(string sql)
    {
        using var statement = Prepare(sql);
        while (statement.Step())
        {
        }
    }

    /// <summary>Waits a moment for a locked database to be released; an operation cancelled meanwhile stops.</summary>
    internal void WaitWhileBusy()
    {
        Thread.Sleep(BusyRetryDelay);
        _cancellation.ThrowIfCancellationRequested();
    }

    /// <summary>The streams: tables and views (SQLite's own and virtual tables' shadow tables left out), then the queries.</summary>
    public List<SqliteSource> Sources(SqliteOptions options)
    {
        var sources = new List<SqliteSource>();
        if (options.IncludeTables)
        {
            using var statement = Prepare("""
                SELECT name, type FROM pragma_table_list
                WHERE schema = 'main' AND type IN ('table', 'view', 'virtual') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
                ORDER BY name
                """);
            while (statement.Step())
            {
                var name = statement.Text(0);
                var type = statement.Text(1);
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

    /// <summary>sqlite3_close_v2: the file is closed (at the latest once a statement still open is finalized).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _handle, null) is { } handle)
        {
            if (!handle.IsInvalid)
            {
                raw.sqlite3_close_v2(handle);
            }

            handle.Dispose();
        }
    }

    /// <summary>A double-quoted identifier.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // Read-only, and hardened because queries are the user's SQL: no writing even to a temporary table
    // (query_only), no reaching other files (ATTACH limited to 0 databases), no loading extensions.
    // A plain path: no URI parameters (the path was resolved and checked; it is opened as it is).
    private void Open(string path)
    {
        var rc = raw.sqlite3_open_v2(path, out var handle, raw.SQLITE_OPEN_READONLY, null);

        // Even a failed open allocates a connection (holding the error): Dispose closes it.
        _handle = handle;
        SqliteError.ThrowIfError(rc, handle);
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_ATTACHED, 0);
        SqliteError.ThrowIfError(raw.sqlite3_db_config(handle, raw.SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, out _), handle);
        Execute("PRAGMA query_only = ON");

        // Reading the schema is what tells a SQLite file from any other.
        Execute("SELECT count(*) FROM sqlite_schema");
    }

    private static string TrimSql(string sql) => sql.Trim().TrimEnd(';').TrimEnd();

    // The user's SQL must be exactly one statement that reads: it is wrapped in a subquery, and a second
    // statement smuggled after a ')' must not run.
    private void CheckQuery(SqliteSource source)
    {
        var sql = TrimSql(source.Sql!);
        var rc = raw.sqlite3_prepare_v2(Handle, sql, out var handle, out var tail);
        using var statement = new SqliteStatement(this, handle);
        if (rc != raw.SQLITE_OK)
        {
            throw new PluginException($"The {source} does not compile: {raw.sqlite3_errmsg(Handle).utf8_to_string()}");
        }

        if (!string.IsNullOrWhiteSpace(tail))
        {
            throw new PluginException($"The {source} holds more than one statement; a query is one SELECT.");
        }

        if (statement.IsEmpty || !statement.IsReadOnly || statement.ColumnCount == 0)
        {
            throw new PluginException($"The {source} is not a SELECT; a query may only read.");
        }

        // In a subquery SQLite would rename a repeated column ("id:1"); better to say so than to invent names.
        var names = Enumerable.Range(0, statement.ColumnCount).Select(statement.ColumnName).ToList();
        if (names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new PluginException($"The {source} returns the column '{twice.Key}' twice; give the columns distinct names (… AS other_name).");
        }
    }

    private List<(string Name, string Type)> DeclaredColumns(SqliteSource source)
    {
        var rc = raw.sqlite3_prepare_v2(Handle, $"SELECT * FROM {source.From}", out var handle);
        using var statement = new SqliteStatement(this, handle);
        if (rc != raw.SQLITE_OK)
        {
            throw new PluginException($"The {source} cannot be read: {raw.sqlite3_errmsg(Handle).utf8_to_string()}");
        }

        var count = statement.ColumnCount;
        var columns = new List<(string, string)>(count);
        for (var i = 0; i < count; i++)
        {
            columns.Add((statement.ColumnName(i), statement.DeclaredType(i)));
        }

        return columns;
    }

    private Dictionary<string, TableColumn> TableInfo(SqliteSource source)
    {
        bool withoutRowid;
        using (var list = Prepare("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = $name"))
        {
            list.Bind("$name", source.Name);
            withoutRowid = list.Step() && list.Value(0) is long wr && wr != 0;
        }

        using var statement = Prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info($name)");
        statement.Bind("$name", source.Name);
        var columns = new List<TableColumn>();
        while (statement.Step())
        {
            var keyPosition = checked((int)statement.Int64(3));
            columns.Add(new TableColumn(statement.Text(0), statement.Text(1), statement.Int64(2) != 0, keyPosition, false, withoutRowid && keyPosition > 0));
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
            var rc = raw.sqlite3_prepare_v2(Handle, $"SELECT {alias} FROM {source.From}", out var handle);
            new SqliteStatement(this, handle).Dispose();
            if (rc == raw.SQLITE_OK)
            {
                return alias;
            }
        }

        return null;
    }

    private ColumnKind FromValues(SqliteSource source, string column, TypeMapping.Needs needs)
    {
        using var statement = Prepare($"SELECT {Quote(column)} FROM {source.From} WHERE {Quote(column)} IS NOT NULL LIMIT {SampleRows}");
        var classes = new HashSet<string>(StringComparer.Ordinal);
        bool dates = true, dateTimes = true, zones = false;
        while (statement.Step())
        {
            var value = statement.Value(0);
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
