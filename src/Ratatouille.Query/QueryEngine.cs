using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Apache.Arrow.Ipc;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratatouille.Catalog;
using Ratatouille.Catalog.Model;
using Ratatouille.Storage;

namespace Ratatouille.Query;

/// <summary>
/// Runs user SQL in the DuckDB sandbox where every dataset is a view <c>&lt;layer&gt;.&lt;name&gt;</c>
/// over its current snapshot's Parquet files, and streams results out (JSON, CSV, Parquet,
/// Arrow) without materialising them in .NET memory.
/// </summary>
public sealed class QueryEngine : IDisposable
{
    private const int FlushThresholdBytes = 256 * 1024;
    private readonly CatalogService _catalog;
    private readonly LocalFiles _files;
    private readonly QueryOptions _options;
    private readonly DataDirectory _dataDirectory;
    private readonly ILogger<QueryEngine> _logger;
    private readonly DuckDbInstance _sandbox;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DatasetView> _snapshotViews = new(StringComparer.Ordinal);
    private readonly Dictionary<DatasetName, long> _materialized = [];
    private Dictionary<DatasetName, DatasetView> _views = [];
    private long _catalogVersion = 1;
    private long _appliedVersion;

    public QueryEngine(CatalogService catalog, LocalFiles files, IOptions<QueryOptions> options, DataDirectory dataDirectory, ILogger<QueryEngine> logger)
    {
        _catalog = catalog;
        _files = files;
        _options = options.Value;
        _dataDirectory = dataDirectory;
        _logger = logger;
        _sandbox = CreateSandbox();
        _catalog.Changed += _ => Interlocked.Increment(ref _catalogVersion);
    }

    /// <summary>Builds the views over the catalog; called at start so the first query does not pay for it.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => EnsureViewsAsync(cancellationToken);

    /// <summary>Readiness: the sandbox answers a trivial query.</summary>
    public bool IsUsable()
    {
        try
        {
            using var connection = _sandbox.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT 42";
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 42;
        }
        catch (DuckDBException)
        {
            return false;
        }
    }

    /// <summary>The snapshot each dataset view currently shows.</summary>
    public async Task<long?> CurrentSnapshotAsync(DatasetName name, CancellationToken cancellationToken)
    {
        await EnsureViewsAsync(cancellationToken);
        return _views.TryGetValue(name, out var view) ? view.SnapshotId : null;
    }

    /// <summary>
    /// The relation to read a dataset at a snapshot from (the current one when null): its view, or
    /// for an older snapshot a view in the hidden <c>_snapshots</c> schema (files are immutable, so
    /// it never goes stale). Returns the SQL name, the schema and the snapshot id.
    /// </summary>
    public async Task<(string Relation, IReadOnlyList<ColumnSchema> Schema, long SnapshotId)> ResolveRelationAsync(
        DatasetName name, long? snapshotId, CancellationToken cancellationToken)
    {
        await EnsureViewsAsync(cancellationToken);
        var current = _views.GetValueOrDefault(name);
        var id = snapshotId ?? current?.SnapshotId ?? throw new CatalogException(CatalogError.NotFound, $"Dataset {name} does not exist.");
        DatasetView view;
        if (current is not null && current.SnapshotId == id)
        {
            view = current;
        }
        else
        {
            // Checked against the catalog every time: an expired snapshot answers 410, not a missing-file error.
            var (snapshot, files) = await _catalog.GetSnapshotFilesAsync(name, id, cancellationToken);
            view = new DatasetView(name, snapshot.Id, snapshot.Schema, files);
        }

        // A view per snapshot, so a page reads exactly the snapshot it reports even while writes land.
        var relation = $"_snapshots.{Sql.Ident($"{name}@{id}")}";
        if (!_snapshotViews.ContainsKey(relation))
        {
            using (await _files.AcquireAsync(view.Files.Select(f => f.Key), cancellationToken))
            {
                _sandbox.Execute(CreateViewSql(view, relation));
            }

            _snapshotViews[relation] = view;
        }

        return (relation, view.Schema, id);
    }

    /// <summary>Runs <paramref name="request"/> and writes the result to <paramref name="output"/> in <paramref name="format"/>.</summary>
    /// <param name="writeExtra">Writes extra top-level JSON properties (JSON format only).</param>
    /// <exception cref="QueryException">The statement is refused, invalid, or timed out.</exception>
    public async Task RunAsync(
        QueryRequest request,
        OutputFormat format,
        Stream output,
        CancellationToken cancellationToken,
        Action<Utf8JsonWriter>? writeExtra = null)
    {
        var stopwatch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(_options.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked.Token;
        var offset = new SqlOffset();
        try
        {
            await EnsureViewsAsync(token);
            using var scope = await OpenScopeAsync(request.Snapshots, token);
            var analyzed = SqlGuard.Analyze(scope.Connection, request.Sql);
            using var lease = await PrepareAsync(scope, analyzed, token);
            var columns = Describe(scope.Connection, analyzed.Sql, request.Parameters, offset);
            switch (format)
            {
                case OutputFormat.Json:
                    await WriteJsonAsync(scope.Connection, analyzed.Sql, columns, request, output, stopwatch, writeExtra, offset, token);
                    break;
                case OutputFormat.Csv:
                    await WriteFileAsync(scope.Connection, analyzed.Sql, request, "csv", "FORMAT csv, HEADER true", output, offset, token);
                    break;
                case OutputFormat.Parquet:
                    await WriteFileAsync(scope.Connection, analyzed.Sql, request, "parquet", "FORMAT parquet", output, offset, token);
                    break;
                case OutputFormat.Arrow:
                    await WriteArrowAsync(scope.Connection, analyzed.Sql, request, output, offset, token);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(format));
            }
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            && ex is OperationCanceledException or DuckDBException or QueryException { Kind: QueryErrorKind.Timeout })
        {
            throw new QueryException(QueryErrorKind.Timeout, $"The query ran longer than the limit of {_options.Timeout.TotalSeconds:0.#} s and was cancelled.", inner: ex);
        }
        catch (DuckDBException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (DuckDBException ex)
        {
            throw DuckDbErrors.Translate(ex, offset.Value);
        }
    }

    /// <summary>
    /// Runs one SELECT and streams its result as Arrow record batches (for plugins' read-only query
    /// context). The snapshot files stay pinned until the enumeration ends; the query timeout applies.
    /// </summary>
    /// <exception cref="QueryException">The statement is refused, invalid, or timed out.</exception>
    public async IAsyncEnumerable<Apache.Arrow.RecordBatch> StreamBatchesAsync(string sql, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked.Token;
        await EnsureViewsAsync(token);
        using var scope = await OpenScopeAsync(null, token);
        AnalyzedSql analyzed;
        try
        {
            analyzed = SqlGuard.Analyze(scope.Connection, sql);
        }
        catch (DuckDBException ex)
        {
            throw DuckDbErrors.Translate(ex, 0);
        }

        using var lease = await PrepareAsync(scope, analyzed, token);
        await using var command = Command(scope.Connection, analyzed.Sql, []);
        using var registration = token.Register(command.Cancel);
        Apache.Arrow.Ipc.IArrowArrayStream stream;
        try
        {
            stream = await Task.Run(command.ExecuteArrowStream, token);
        }
        catch (DuckDBException ex) when (!token.IsCancellationRequested)
        {
            throw DuckDbErrors.Translate(ex, 0);
        }

        using (stream)
        {
            while (true)
            {
                Apache.Arrow.RecordBatch? batch;
                try
                {
                    batch = await stream.ReadNextRecordBatchAsync(token);
                }
                catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested && ex is OperationCanceledException or DuckDBException)
                {
                    throw new QueryException(QueryErrorKind.Timeout, $"The query ran longer than the limit of {_options.Timeout.TotalSeconds:0.#} s and was cancelled.", inner: ex);
                }

                if (batch is null)
                {
                    yield break;
                }

                yield return batch;
            }
        }
    }

    /// <summary>Column names and types of a statement's result, without running it.</summary>
    public async Task<IReadOnlyList<ResultColumn>> DescribeAsync(string sql, CancellationToken cancellationToken)
    {
        await EnsureViewsAsync(cancellationToken);
        using var scope = await OpenScopeAsync(null, cancellationToken);
        try
        {
            var analyzed = SqlGuard.Analyze(scope.Connection, sql);
            using var lease = await PrepareAsync(scope, analyzed, cancellationToken);
            var offset = new SqlOffset();
            try
            {
                return Describe(scope.Connection, analyzed.Sql, [], offset);
            }
            catch (DuckDBException ex)
            {
                throw DuckDbErrors.Translate(ex, offset.Value);
            }
        }
        catch (DuckDBException ex)
        {
            throw DuckDbErrors.Translate(ex, 0);
        }
    }

    public void Dispose()
    {
        _sandbox.Dispose();
        _refreshGate.Dispose();
    }

    private DuckDbInstance CreateSandbox() =>
        DuckDbInstance.CreateSandbox(
            _options,
            [.. _files.ReadableRoots, _dataDirectory.ExportFolder],
            connection =>
            {
                // Data files are immutable, so their footers can be cached for good.
                using var command = connection.CreateCommand();
                command.CommandText = "SET parquet_metadata_cache=true;";
                command.ExecuteNonQuery();
            });

    private async Task EnsureViewsAsync(CancellationToken cancellationToken)
    {
        var wanted = Interlocked.Read(ref _catalogVersion);
        if (Interlocked.Read(ref _appliedVersion) >= wanted)
        {
            return;
        }

        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            wanted = Interlocked.Read(ref _catalogVersion);
            if (_appliedVersion >= wanted)
            {
                return;
            }

            var state = await _catalog.GetCurrentStateAsync(cancellationToken);
            var next = state.ToDictionary(s => s.Name, s => new DatasetView(s.Name, s.Snapshot.Id, s.Snapshot.Schema, s.Files));
            var sql = new StringBuilder();
            foreach (var (relation, _) in _snapshotViews.Where(v => !next.ContainsKey(v.Value.Name)).ToList())
            {
                sql.Append("DROP VIEW IF EXISTS ").Append(relation).Append(";\n");
                _snapshotViews.TryRemove(relation, out _);
            }

            foreach (var removed in _materialized.Keys.Where(k => !next.ContainsKey(k)).ToList())
            {
                sql.Append("DROP VIEW IF EXISTS ").Append(QualifiedName(removed)).Append(";\n");
                _materialized.Remove(removed);
            }

            if (sql.Length > 0)
            {
                _sandbox.Execute(sql.ToString());
            }

            _views = next;
            _appliedVersion = wanted;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private string CreateViewSql(DatasetView view) => CreateViewSql(view, QualifiedName(view.Name));

    private string CreateViewSql(DatasetView view, string relation)
    {
        var projection = string.Join(", ", view.Schema.Select(c => view.Files.Count == 0
            ? $"CAST(NULL AS {c.Type}) AS {Sql.Ident(c.Name)}"
            : $"CAST({Sql.Ident(c.Name)} AS {c.Type}) AS {Sql.Ident(c.Name)}"));
        var source = view.Files.Count == 0
            ? " WHERE false"
            : $" FROM read_parquet({Sql.List(view.Files.Select(f => _files.PathFor(f.Key)))}, union_by_name=true)";
        return $"CREATE OR REPLACE VIEW {relation} AS SELECT {projection}{source}";
    }

    private static string QualifiedName(DatasetName name) => $"{name.LayerName}.{Sql.Ident(name.Name)}";

    private async Task<QueryScope> OpenScopeAsync(IReadOnlyDictionary<string, long>? snapshots, CancellationToken cancellationToken)
    {
        var views = _views;
        if (snapshots is null || snapshots.Count == 0)
        {
            return new QueryScope(_sandbox.Open(), views, null);
        }

        // Time travel: a private sandbox where the named datasets are views over older snapshots.
        var overridden = new Dictionary<DatasetName, DatasetView>(views);
        foreach (var (qualified, snapshotId) in snapshots)
        {
            var name = DatasetName.Parse(qualified);
            var (snapshot, files) = await _catalog.GetSnapshotFilesAsync(name, snapshotId, cancellationToken);
            overridden[name] = new DatasetView(name, snapshot.Id, snapshot.Schema, files);
        }

        return new QueryScope(null!, overridden, CreateSandbox());
    }

    /// <summary>
    /// Fetches the files of the datasets a statement names and makes sure their views exist at the
    /// right snapshot. Views are created lazily, once their files are local, because DuckDB reads a
    /// file's footer when it binds a view (on S3 the files come from the bounded cache).
    /// </summary>
    private async Task<FileLease> PrepareAsync(QueryScope scope, AnalyzedSql analyzed, CancellationToken cancellationToken)
    {
        var referenced = scope.Views.Values.Where(v => analyzed.Tables.Contains((v.Name.LayerName, v.Name.Name))).ToList();
        var snapshotViews = _snapshotViews.Where(s => analyzed.Tables.Contains(("_snapshots", s.Key[(s.Key.IndexOf('.', StringComparison.Ordinal) + 1)..].Trim('"')))).Select(s => s.Value);
        var lease = await _files.AcquireAsync(referenced.Concat(snapshotViews).SelectMany(v => v.Files.Select(f => f.Key)), cancellationToken);
        try
        {
            if (scope.Owned is { } privateSandbox)
            {
                foreach (var view in referenced)
                {
                    privateSandbox.Execute(CreateViewSql(view));
                }

                return lease;
            }

            await _refreshGate.WaitAsync(cancellationToken);
            try
            {
                foreach (var view in referenced.Where(v => !_materialized.TryGetValue(v.Name, out var id) || id != v.SnapshotId))
                {
                    _sandbox.Execute(CreateViewSql(view));
                    _materialized[view.Name] = view.SnapshotId;
                }
            }
            finally
            {
                _refreshGate.Release();
            }

            return lease;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private static List<ResultColumn> Describe(DuckDBConnection connection, string sql, IReadOnlyList<object?> parameters, SqlOffset offset)
    {
        offset.Wrap(DuckDbSchema.Prefix, sql, string.Empty);
        return DuckDbSchema.Describe(connection, sql, parameters);
    }

    private async Task WriteJsonAsync(
        DuckDBConnection connection, string sql, List<ResultColumn> columns, QueryRequest request, Stream output,
        Stopwatch stopwatch, Action<Utf8JsonWriter>? writeExtra, SqlOffset offset, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(request.Limit ?? _options.DefaultRowLimit, 0, _options.MaxRowLimit);
        // DuckDB renders each row as one JSON array (its number writer keeps DECIMAL, HUGEINT and BIGINT
        // exact); NaN and infinities, which JSON cannot hold, become strings. Inside lists, structs and maps
        // DuckDB writes them as bare NaN/Infinity tokens: such a value is sent as its text instead.
        var expressions = columns.Select((c, i) => IsFloating(c.Type)
            ? $"CASE WHEN isfinite(c{i}) OR c{i} IS NULL THEN to_json(c{i}) ELSE to_json(CAST(c{i} AS VARCHAR)) END"
            : HoldsFloating(c.Type)
                ? $"CASE WHEN regexp_matches(CAST(to_json(c{i}) AS VARCHAR), '[\\[,:]-?(NaN|Infinity)[,\\]}}]') THEN to_json(CAST(c{i} AS VARCHAR)) ELSE to_json(c{i}) END"
                : $"c{i}");
        var rowSql = columns.Count == 0 ? "'[]'" : $"CAST(json_array({string.Join(", ", expressions)}) AS VARCHAR)";
        var wrapped = offset.Wrap($"SELECT {rowSql} FROM (\n", sql, $"\n) AS q({Aliases(columns.Count)}) LIMIT {(long)limit + 1} OFFSET {request.Offset}");

        await using var command = Command(connection, wrapped, request.Parameters);
        using var registration = cancellationToken.Register(command.Cancel);
        await using var reader = await Task.Run(() => command.ExecuteReader(), cancellationToken);
        var hasRow = await Task.Run(reader.Read, cancellationToken);

        await using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        writer.WriteStartObject();
        writer.WriteStartArray("columns");
        foreach (var column in columns)
        {
            writer.WriteStartObject();
            writer.WriteString("name", column.Name);
            writer.WriteString("type", column.Type);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("rows");
        var count = 0;
        var truncated = false;
        while (hasRow)
        {
            if (count == limit)
            {
                truncated = true;
                break;
            }

            writer.WriteRawValue(reader.GetString(0), skipInputValidation: true);
            count++;
            if (writer.BytesPending > FlushThresholdBytes)
            {
                await writer.FlushAsync(cancellationToken);
            }

            hasRow = reader.Read();
        }

        writer.WriteEndArray();
        writer.WriteNumber("rowCount", count);
        writer.WriteBoolean("truncated", truncated);
        writer.WriteNumber("elapsedMs", Math.Round(stopwatch.Elapsed.TotalMilliseconds, 1));
        writeExtra?.Invoke(writer);
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Full exports are written by DuckDB's own parallel writers (COPY) into a private file, then streamed:
    /// several times faster than formatting rows in .NET, and exactly DuckDB's CSV/Parquet.
    /// </summary>
    private async Task WriteFileAsync(
        DuckDBConnection connection, string sql, QueryRequest request, string extension, string copyOptions, Stream output, SqlOffset offset, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_dataDirectory.ExportFolder, Guid.NewGuid().ToString("N") + "." + extension);
        try
        {
            var copy = offset.Wrap("COPY (SELECT * FROM (\n", sql, $"\n) AS q{LimitClause(request)}) TO {Sql.Literal(path)} ({copyOptions})");
            await using (var command = Command(connection, copy, request.Parameters))
            {
                using var registration = cancellationToken.Register(command.Cancel);
                await Task.Run(() => command.ExecuteNonQuery(), cancellationToken);
            }

            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await file.CopyToAsync(output, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task WriteArrowAsync(DuckDBConnection connection, string sql, QueryRequest request, Stream output, SqlOffset offset, CancellationToken cancellationToken)
    {
        var wrapped = offset.Wrap("SELECT * FROM (\n", sql, $"\n) AS q{LimitClause(request)}");
        await using var command = Command(connection, wrapped, request.Parameters);
        using var registration = cancellationToken.Register(command.Cancel);
        using var stream = await Task.Run(command.ExecuteArrowStream, cancellationToken);
        using var writer = new ArrowStreamWriter(output, stream.Schema, leaveOpen: true);
        await writer.WriteStartAsync(cancellationToken);
        while (await stream.ReadNextRecordBatchAsync(cancellationToken) is { } batch)
        {
            using (batch)
            {
                await writer.WriteRecordBatchAsync(batch, cancellationToken);
            }
        }

        await writer.WriteEndAsync(cancellationToken);
    }

    private static DuckDBCommand Command(DuckDBConnection connection, string sql, IReadOnlyList<object?> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.UseStreamingMode = true;
        AddParameters(command, parameters);
        return command;
    }

    internal static void AddParameters(DuckDBCommand command, IReadOnlyList<object?> parameters)
    {
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(parameter ?? DBNull.Value));
        }
    }

    private static string LimitClause(QueryRequest request) =>
        (request.Limit is { } limit ? $" LIMIT {Math.Max(0, limit)}" : string.Empty) + (request.Offset > 0 ? $" OFFSET {request.Offset}" : string.Empty);

    private static string Aliases(int count) => count == 0 ? string.Empty : string.Join(", ", Enumerable.Range(0, count).Select(i => $"c{i}"));

    private static bool IsFloating(string type) => type is "DOUBLE" or "FLOAT" or "REAL";

    /// <summary>A list, array, struct, map or union type with floating-point values somewhere inside.</summary>
    private static bool HoldsFloating(string type) =>
        (type.Contains('[') || type.StartsWith("STRUCT", StringComparison.Ordinal) || type.StartsWith("MAP", StringComparison.Ordinal) || type.StartsWith("UNION", StringComparison.Ordinal))
        && (type.Contains("DOUBLE", StringComparison.Ordinal) || type.Contains("FLOAT", StringComparison.Ordinal) || type.Contains("REAL", StringComparison.Ordinal));



    /// <summary>Where the user's SQL starts inside the statement that is running, so error positions point into the user's text.</summary>
    private sealed class SqlOffset
    {
        public int Value { get; private set; }

        public string Wrap(string before, string sql, string after)
        {
            Value = before.Length;
            return before + sql + after;
        }
    }

    private sealed record DatasetView(DatasetName Name, long SnapshotId, IReadOnlyList<ColumnSchema> Schema, IReadOnlyList<DataFileInfo> Files);

    private sealed class QueryScope(DuckDBConnection? connection, IReadOnlyDictionary<DatasetName, DatasetView> views, DuckDbInstance? owned) : IDisposable
    {
        private DuckDBConnection? _connection = connection;

        public DuckDBConnection Connection => _connection ??= Owned!.Open();

        public IReadOnlyDictionary<DatasetName, DatasetView> Views { get; } = views;

        /// <summary>The private sandbox of a time-travel query, or null for the shared one.</summary>
        public DuckDbInstance? Owned { get; } = owned;

        public void Dispose()
        {
            _connection?.Dispose();
            Owned?.Dispose();
        }
    }
}
