using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Microsoft.Extensions.Logging;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>
/// Reads a SQLite database file, opened read-only and only inside the import roots: every table and view
/// (and each configured query) is a stream. Column types follow the declared types with SQLite's affinity
/// rules; incremental reads select <c>WHERE cursor &gt; saved ORDER BY cursor</c>.
/// </summary>
[Connector("sqlite", DisplayName = "SQLite", Category = "Databases", Icon = "Database",
    Description = "Tables, views and queries of a SQLite database file in an import folder on the server, read-only.")]
public sealed class SqliteConnector : Connector<SqliteOptions>
{
    public override async Task<ConnectionCheckResult> CheckAsync(SqliteOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        try
        {
            using var database = await SqliteDatabase.OpenAsync(options, context, cancellationToken);
            var summary = await database.RunAsync(() =>
            {
                var sources = database.Sources(options);
                foreach (var query in sources.Where(s => s.Kind == SourceKind.Query))
                {
                    database.Describe(query, options);
                }

                return $"{sources.Count(s => s.Kind == SourceKind.Table)} table(s), {sources.Count(s => s.Kind == SourceKind.View)} view(s), {sources.Count(s => s.Kind == SourceKind.Query)} query(ies)";
            }, $"'{options.Path}'", cancellationToken);
            return ConnectionCheckResult.Ok($"Opened '{options.Path}' read-only (SQLite {SqliteDatabase.Version}): {summary}.");
        }
        catch (PluginException ex)
        {
            return ConnectionCheckResult.Failed(ex.Message);
        }
    }

    public override async Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(SqliteOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        using var database = await SqliteDatabase.OpenAsync(options, context, cancellationToken);
        var tables = await database.RunAsync(() => database.Sources(options).Select(source => DescribeOrSkip(database, source, options, context)).OfType<SqliteTable>().ToList(),
            $"'{options.Path}'", cancellationToken);
        return tables.Select(t => t.ToDescriptor(options.Path)).ToList();
    }

    public override async IAsyncEnumerable<RecordBatch> ReadAsync(SqliteOptions options, ReadRequest request, IPluginContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var database = await SqliteDatabase.OpenAsync(options, context, cancellationToken);
        var table = await database.RunAsync(() =>
        {
            var sources = database.Sources(options);
            var source = sources.FirstOrDefault(s => s.Name == request.Stream)
                ?? throw new PluginException($"'{options.Path}' has no table, view or query named '{request.Stream}' (it has {string.Join(", ", sources.Select(s => s.Name).Take(30))}).");
            return database.Describe(source, options);
        }, $"'{options.Path}'", cancellationToken);

        string? cursor = null;
        object? saved = null;
        if (request.Mode == SyncMode.Incremental)
        {
            cursor = request.CursorField ?? table.DefaultCursor
                ?? throw new PluginException($"The {table.Source} has no default cursor: choose one of {string.Join(", ", table.Columns.Where(c => c.CanBeCursor).Select(c => c.Name))}, " +
                    "or set it in the connection's default cursors.");
            if (table.Columns.FirstOrDefault(c => c.Name == cursor) is not { CanBeCursor: true })
            {
                throw new PluginException($"'{cursor}' cannot be the cursor of the {table.Source} (cursor columns: {string.Join(", ", table.Columns.Where(c => c.CanBeCursor).Select(c => c.Name))}).");
            }

            saved = SavedCursor(request.State, cursor, table.Source);
        }

        using var rows = await database.RunAsync(() => RowReader.Start(database, table, cursor, saved, Math.Max(1, request.PreferredBatchRows)),
            $"Reading the {table.Source}", cancellationToken);
        long count = 0;
        while (await database.RunAsync(() => rows.Next(cancellationToken), $"Reading the {table.Source}", cancellationToken) is { } batch)
        {
            count += batch.Length;
            yield return batch;
            if (cursor is not null && rows.State(cursor) is { } state)
            {
                request.SaveState(state);
            }
        }

        // Nothing new: keep the saved position.
        if (cursor is not null && rows.LastCursor is null && request.State is not null)
        {
            request.SaveState(request.State);
        }

        context.Logger.LogInformation("{Source}: {Rows} row(s) read{Since}", table.Source.Title, count, saved is null ? "" : $" after {cursor} {saved}");
    }

    // A virtual table whose module this SQLite lacks cannot be read; it should not hide the other tables.
    private static SqliteTable? DescribeOrSkip(SqliteDatabase database, SqliteSource source, SqliteOptions options, IPluginContext context)
    {
        try
        {
            return database.Describe(source, options);
        }
        catch (PluginException ex) when (source.IsVirtual)
        {
            context.Logger.LogWarning("Skipping virtual table {Table}: {Reason}", source.Name, ex.Message);
            return null;
        }
    }

    private static object? SavedCursor(JsonNode? state, string cursor, SqliteSource source)
    {
        if (state is null)
        {
            return null;
        }

        if (state is not JsonObject || state["cursor"] is not JsonValue value)
        {
            return state is JsonObject && state["cursor"] is null
                ? null
                : throw new PluginException($"The saved state {state.ToJsonString()} of the {source} is not {{\"cursor\": value}}; run a full refresh to start over.");
        }

        if (state["cursorField"] is JsonValue field && field.GetValueKind() == JsonValueKind.String && field.GetValue<string>() != cursor)
        {
            throw new PluginException($"The saved state of the {source} is a position in '{field.GetValue<string>()}', not in '{cursor}': run a full refresh after changing the cursor.");
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number when value.TryGetValue<long>(out var integer) => integer,
            JsonValueKind.Number => value.GetValue<double>(),
            _ => throw new PluginException($"The saved cursor {value.ToJsonString()} of the {source} is neither a number nor text; run a full refresh to start over."),
        };
    }
}
