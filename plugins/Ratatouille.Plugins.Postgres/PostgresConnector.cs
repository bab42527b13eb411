using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Postgres;

/// <summary>
/// Reads PostgreSQL tables, views, materialized views and custom queries. Streams are named
/// <c>schema.table</c> (custom queries by their name); reads use binary COPY straight into Arrow arrays;
/// incremental reads follow a cursor column (see <see cref="CursorTracker"/> for the state).
/// </summary>
[Connector("postgres", DisplayName = "PostgreSQL", Category = "Databases", Icon = "Database",
    Description = "Tables, views, materialized views and custom SQL queries of a PostgreSQL database; full or incremental by a cursor column.")]
public sealed class PostgresConnector : Connector<PostgresOptions>
{
    public override async Task<ConnectionCheckResult> CheckAsync(PostgresOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        if (options.Problems() is { Count: > 0 } problems)
        {
            return ConnectionCheckResult.Failed("Invalid configuration: " + string.Join("; ", problems));
        }

        try
        {
            await using var session = await PostgresSession.OpenAsync(options, cancellationToken);
            var (version, user, database) = await ServerAsync(session, options, cancellationToken);

            var missing = await MissingSchemasAsync(session, options, cancellationToken);
            if (missing.Count > 0)
            {
                return ConnectionCheckResult.Failed(
                    $"Connected to {version} as {user}, but schema(s) {string.Join(", ", missing.Select(s => $"'{s}'"))} do not exist in database '{database}' or {user} lacks USAGE on them.");
            }

            var (streams, hidden) = await StreamsAsync(session, options, context, cancellationToken);
            if ((options.CursorFields?.Keys ?? []).FirstOrDefault(k => !streams.Any(s => s.Name == k)) is { } unknown)
            {
                return ConnectionCheckResult.Failed($"A cursor field is configured for '{unknown}', which is not a stream of this connection (or {user} cannot read it).");
            }

            var readable = streams.Count - options.Queries.Count;
            var scope = options.SchemaFilter is { } schemas ? $"schema(s) {string.Join(", ", schemas)}" : "all schemas";
            var queries = options.Queries.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $", {options.Queries.Count} custom quer{(options.Queries.Count == 1 ? "y" : "ies")} valid") : "";
            var unreadable = hidden > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({hidden} more without SELECT privilege)") : "";
            return ConnectionCheckResult.Ok(
                string.Create(CultureInfo.InvariantCulture, $"Connected to {version} as {user} on database '{database}': {readable} readable table(s) and view(s) in {scope}{unreadable}{queries}."));
        }
        catch (PluginException ex)
        {
            return ConnectionCheckResult.Failed(PostgresErrors.Scrub(ex.Message, options.Password));
        }
    }

    public override async Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(PostgresOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        EnsureValid(options);
        await using var session = await PostgresSession.OpenAsync(options, cancellationToken);
        var (streams, _) = await StreamsAsync(session, options, context, cancellationToken);
        return streams.Select(s => s.Descriptor).ToList();
    }

    public override async IAsyncEnumerable<RecordBatch> ReadAsync(PostgresOptions options, ReadRequest request, IPluginContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        EnsureValid(options);
        var watch = Stopwatch.StartNew();
        await using var session = await PostgresSession.OpenAsync(options, cancellationToken);
        var stream = await ResolveAsync(session, options, request.Stream, cancellationToken);

        CursorTracker? tracker = null;
        var resume = false;
        if (request.Mode == SyncMode.Incremental)
        {
            var cursor = Cursor(stream, request.CursorField);
            var start = CursorTracker.StartValue(request.State, cursor);
            if (start is not null)
            {
                await session.SetCursorAsync(CursorTracker.ToSqlText(start), cursor, cancellationToken);
                resume = true;
            }

            tracker = new CursorTracker(cursor, stream.Columns.ToList().IndexOf(cursor), start);
        }

        var sql = stream.CopySql(tracker?.Column, resume);
        var batchRows = Math.Clamp(request.PreferredBatchRows, 1, 1 << 20);
        await using var copy = await CopyBatchReader.StartAsync(
            session.Connection, sql, stream.Descriptor.Schema, stream.Columns, batchRows, options, stream.Name, cancellationToken);
        while (await copy.ReadBatchAsync(batchRows, cancellationToken) is { } batch)
        {
            // Before yielding: the host disposes the batch once written.
            tracker?.Observe(batch);
            yield return batch;
            if (tracker?.TakeCheckpoint() is { } checkpoint)
            {
                request.SaveState(checkpoint);
            }
        }

        if (tracker?.Finish() is { } final)
        {
            request.SaveState(final);
        }

        context.Logger.LogInformation(
            "Read {Rows} rows of {Stream} ({Mode}) in {Seconds:0.00} s.", copy.Rows, stream.Name, request.Mode, watch.Elapsed.TotalSeconds);
    }

    private static void EnsureValid(PostgresOptions options)
    {
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new PluginException("Invalid configuration: " + string.Join("; ", problems));
        }
    }

    /// <summary>The readable relations and the custom queries as streams; and how many relations are not readable.</summary>
    private static async Task<(List<PgStream> Streams, int Unreadable)> StreamsAsync(PostgresSession session, PostgresOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        var relations = await CatalogAsync(() => PostgresCatalog.RelationsAsync(session.Connection, options, null, cancellationToken), options);
        var streams = new List<PgStream>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var relation in relations.Where(r => r.Readable))
        {
            // "a.b"."c" and "a"."b.c" have one stream name: keep the first, say so.
            if (!names.Add(relation.StreamName))
            {
                context.Logger.LogWarning("Skipping {Schema}.{Table}: another relation already has the stream name {Stream}.", relation.Schema, relation.Name, relation.StreamName);
                continue;
            }

            streams.Add(Describe(relation, options));
        }

        foreach (var query in options.Queries)
        {
            streams.Add(await DescribeQueryAsync(session, options, query, cancellationToken));
        }

        return (streams, relations.Count(r => !r.Readable));
    }

    private static async Task<PgStream> DescribeQueryAsync(PostgresSession session, PostgresOptions options, PostgresCustomQuery query, CancellationToken cancellationToken)
    {
        var columns = await CatalogAsync(() => PostgresCatalog.DescribeQueryAsync(session.Connection, query, cancellationToken), options);
        var descriptor = PostgresCatalog.Describe(query.Name, columns, $"Custom query {query.Name}", isQuery: true, options.ConfiguredCursor(query.Name), query.PrimaryKey);
        return new PgStream(descriptor, columns, PostgresCatalog.QueryFrom(query));
    }

    private static PgColumn Cursor(PgStream stream, string? requested)
    {
        var candidates = stream.Columns.Where(c => c.IsCursorCandidate).ToList();
        var name = requested ?? stream.Descriptor.DefaultCursorField;
        if (name is null)
        {
            throw new PluginException(candidates.Count == 0
                ? $"'{stream.Name}' has no column that can be a cursor (integer, numeric, date or timestamp): read it in full mode."
                : $"'{stream.Name}' has no default cursor: choose one of {string.Join(", ", candidates.Select(c => c.FieldName))}.");
        }

        return candidates.FirstOrDefault(c => c.FieldName == name)
            ?? throw new PluginException(stream.Columns.Any(c => c.FieldName == name)
                ? $"The column '{name}' of '{stream.Name}' cannot be a cursor (only integer, numeric, date and timestamp columns can): choose one of {string.Join(", ", candidates.Select(c => c.FieldName))}."
                : $"'{stream.Name}' has no column '{name}'.");
    }

    private static async Task<PgStream> ResolveAsync(PostgresSession session, PostgresOptions options, string name, CancellationToken cancellationToken)
    {
        if (options.Queries.FirstOrDefault(q => q.Name == name) is { } query)
        {
            return await DescribeQueryAsync(session, options, query, cancellationToken);
        }

        var relations = await CatalogAsync(() => PostgresCatalog.RelationsAsync(session.Connection, options, name, cancellationToken), options);
        if (relations.Count == 0)
        {
            var where = options.SchemaFilter is { } schemas ? $"schema(s) {string.Join(", ", schemas)}" : "the database's schemas";
            throw new PluginException(
                $"Unknown stream '{name}': no table, view or materialized view of that name in {where} of database '{options.Database}', and no custom query of that name.");
        }

        var relation = relations[0];
        if (!relation.Readable)
        {
            throw new PluginException(
                $"Permission denied: user '{options.Username}' may not read {relation.StreamName}. Grant it USAGE on schema {Sql.Ident(relation.Schema)} and SELECT on {Sql.Relation(relation.Schema, relation.Name)}.");
        }

        return Describe(relation, options);
    }

    private static PgStream Describe(PostgresCatalog.Relation relation, PostgresOptions options)
    {
        var estimate = relation.EstimatedRows >= 0 && relation.Kind is 'r' or 'p' or 'm'
            ? string.Create(CultureInfo.InvariantCulture, $" (about {relation.EstimatedRows:N0} rows)")
            : "";
        var description = $"{relation.KindName} {relation.StreamName}{estimate}{(relation.Comment is { Length: > 0 } comment ? ": " + comment : "")}";
        var descriptor = PostgresCatalog.Describe(relation.StreamName, relation.Columns, description, isQuery: false, options.ConfiguredCursor(relation.StreamName));
        return new PgStream(descriptor, relation.Columns, PostgresCatalog.RelationFrom(relation));
    }

    private static async Task<(string Version, string User, string Database)> ServerAsync(PostgresSession session, PostgresOptions options, CancellationToken cancellationToken) =>
        await CatalogAsync(
            async () =>
            {
                await using var command = new NpgsqlCommand("SELECT pg_catalog.version(), current_user, pg_catalog.current_database()", session.Connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                var version = reader.GetString(0);

                // "PostgreSQL 16.2 (Debian …) on x86_64-pc-linux-gnu, compiled by gcc …": the compiler is noise.
                var cut = version.IndexOf(", compiled by", StringComparison.Ordinal);
                return (cut > 0 ? version[..cut] : version, reader.GetString(1), reader.GetString(2));
            },
            options);

    private static async Task<IReadOnlyList<string>> MissingSchemasAsync(PostgresSession session, PostgresOptions options, CancellationToken cancellationToken)
    {
        if (options.SchemaFilter is not { } schemas)
        {
            return [];
        }

        return await CatalogAsync(
            async () =>
            {
                await using var command = new NpgsqlCommand(
                    """
                    SELECT s FROM unnest(@schemas::text[]) AS s
                    WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n WHERE n.nspname = s AND pg_catalog.has_schema_privilege(n.oid, 'USAGE'))
                    """,
                    session.Connection);
                command.Parameters.Add(new NpgsqlParameter("schemas", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = schemas.ToArray() });
                var missing = new List<string>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    missing.Add(reader.GetString(0));
                }

                return (IReadOnlyList<string>)missing;
            },
            options);
    }

    /// <summary>Runs a catalog query, turning driver and server errors into <see cref="PluginException"/>.</summary>
    private static async Task<T> CatalogAsync<T>(Func<Task<T>> query, PostgresOptions options)
    {
        try
        {
            return await query();
        }
        catch (Exception ex) when (PostgresErrors.IsReportable(ex))
        {
            throw PostgresErrors.ToPluginException(ex, options, "Reading the catalog failed");
        }
    }
}
