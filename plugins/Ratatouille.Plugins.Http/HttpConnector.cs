using System.Runtime.CompilerServices;
using System.Text.Json;
using Apache.Arrow;
using Microsoft.Extensions.Logging;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http;

/// <summary>
/// Reads JSON endpoints of an HTTP API, one stream per configured endpoint. The columns are inferred from
/// the first page (field hints override), every page is read in the configured pagination style, and
/// incremental reads send the saved cursor to the API and also drop records at or below it.
/// </summary>
[Connector("http", DisplayName = "HTTP / REST API", Category = "APIs", Icon = "Globe",
    Description = "JSON endpoints of a REST API: pagination, bearer/basic/API key authentication, retries, incremental reads by a cursor field.")]
public sealed class HttpConnector : Connector<HttpOptions>
{
    public override async Task<ConnectionCheckResult> CheckAsync(HttpOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        try
        {
            HttpOptionsValidator.ThrowIfInvalid(options);
            var stream = options.Streams[0];
            // One retry at most: the user is waiting for the answer, and extracts keep the configured retries.
            using var api = new HttpApiClient(options, context, maxRetries: 1);
            var url = Paginator.FirstUrl(options, stream, cursor: null);
            using var page = await api.GetAsync(url, stream.Name, cancellationToken);
            var records = RecordSelector.Select(page.Body, stream.RecordSelector, stream.Name, out var found);
            if (!found)
            {
                return ConnectionCheckResult.Failed($"Stream '{stream.Name}': GET {api.Display(url)} answered, but the record selector '{stream.RecordSelector}' matches nothing in the body ({JsonPath.Keys(page.Body)}).");
            }

            return ConnectionCheckResult.Ok($"GET {api.Display(url)} answered with {records.Count} record(s) on the first page of '{stream.Name}'.");
        }
        catch (PluginException ex)
        {
            return ConnectionCheckResult.Failed(ex.Message);
        }
    }

    public override async Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(HttpOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        HttpOptionsValidator.ThrowIfInvalid(options);
        using var api = new HttpApiClient(options, context);
        var streams = new List<StreamDescriptor>(options.Streams.Count);
        foreach (var stream in options.Streams)
        {
            var schema = await SchemaAsync(api, options, stream, cancellationToken);
            var cursor = string.IsNullOrEmpty(stream.CursorField) ? null : schema.Columns.First(c => c.Key == stream.CursorField).Name;
            streams.Add(new StreamDescriptor(stream.Name, schema.Arrow)
            {
                Description = $"GET {api.Display(Paginator.FirstUrl(options, stream, cursor: null))}",
                SupportedModes = cursor is null ? [SyncMode.Full] : [SyncMode.Full, SyncMode.Incremental],
                CursorFields = cursor is null ? [] : [cursor],
                DefaultCursorField = cursor,
                PrimaryKey = stream.PrimaryKey.Select(k => schema.Columns.First(c => c.Key == k).Name).ToList(),
            });
        }

        return streams;
    }

    public override async IAsyncEnumerable<RecordBatch> ReadAsync(HttpOptions options, ReadRequest request, IPluginContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        HttpOptionsValidator.ThrowIfInvalid(options);
        var stream = options.Streams.FirstOrDefault(s => s.Name == request.Stream)
            ?? throw new PluginException($"Unknown stream '{request.Stream}'; this connection has {string.Join(", ", options.Streams.Select(s => $"'{s.Name}'"))}.");
        var incremental = request.Mode == SyncMode.Incremental;
        if (incremental && string.IsNullOrEmpty(stream.CursorField))
        {
            throw new PluginException($"Stream '{stream.Name}' has no cursor field, so it can only be read in full. Set cursorField to read it incrementally.");
        }

        using var api = new HttpApiClient(options, context);

        // The schema must equal discovery's, which infers from the first page requested without a cursor. A read
        // that sends the saved cursor sees other records first, so it infers in a request of its own; any other
        // read infers from its own first page.
        var schema = stream.InferFields ? null : SchemaInference.Infer(stream, []);
        var sendsCursor = incremental && request.State is not null && !string.IsNullOrEmpty(stream.CursorParameter);
        if (sendsCursor && schema is null)
        {
            schema = await SchemaAsync(api, options, stream, cancellationToken);
        }

        var (cursorIndex, saved) = schema is null ? (-1, null) : Cursor(schema, stream, request);
        RowBatchBuilder? rows = null;
        CursorValue? max = null;
        var records = 0;
        var skipped = 0;
        var pages = 0;
        var values = System.Array.Empty<object?>();
        await foreach (var page in Paginator.ReadAsync(api, options, stream, sendsCursor ? saved?.Text : null, cancellationToken))
        {
            pages++;
            if (rows is null)
            {
                if (schema is null)
                {
                    if (!page.SelectorFound)
                    {
                        throw new PluginException($"Stream '{stream.Name}': the record selector '{stream.RecordSelector}' matches nothing in the first page ({JsonPath.Keys(page.Body)}).");
                    }

                    schema = SchemaInference.Infer(stream, page.Records);
                    (cursorIndex, saved) = Cursor(schema, stream, request);
                }

                rows = new RowBatchBuilder(schema.Arrow, Math.Max(1, request.PreferredBatchRows));
                values = new object?[schema.Columns.Count];
                max = saved;
            }

            foreach (var record in page.Records)
            {
                cancellationToken.ThrowIfCancellationRequested();
                records++;
                Fill(values, record, schema!, stream, records, page.Number);
                if (cursorIndex >= 0)
                {
                    // Records without a cursor cannot be placed after the saved one: read once, on the first run.
                    var value = values[cursorIndex];
                    var position = value is null ? null : CursorValue.FromRecord(value, record.GetProperty(schema!.Columns[cursorIndex].Key));
                    if (saved is not null && (position is null || position.CompareTo(saved) <= 0))
                    {
                        skipped++;
                        continue;
                    }

                    if (position is not null && (max is null || position.CompareTo(max) > 0))
                    {
                        max = position;
                    }
                }

                rows.Add(values);
                if (rows.IsFull)
                {
                    yield return rows.Build();
                    if (incremental && max is not null)
                    {
                        request.SaveState(max.ToState());
                    }
                }
            }
        }

        if (rows is { Count: > 0 })
        {
            yield return rows.Build();
        }

        if (incremental && max is not null)
        {
            request.SaveState(max.ToState());
        }

        context.Logger.LogInformation("Stream {Stream}: {Records} record(s) from {Pages} page(s){Skipped}", stream.Name, records - skipped, pages,
            skipped > 0 ? $", {skipped} at or before the saved cursor skipped" : "");
    }

    private static async Task<StreamSchema> SchemaAsync(HttpApiClient api, HttpOptions options, HttpStreamOptions stream, CancellationToken cancellationToken)
    {
        if (!stream.InferFields)
        {
            return SchemaInference.Infer(stream, []);
        }

        using var page = await api.GetAsync(Paginator.FirstUrl(options, stream, cursor: null), stream.Name, cancellationToken);
        var records = RecordSelector.Select(page.Body, stream.RecordSelector, stream.Name, out var found);
        if (!found)
        {
            throw new PluginException($"Stream '{stream.Name}': the record selector '{stream.RecordSelector}' matches nothing in the first page ({JsonPath.Keys(page.Body)}).");
        }

        return SchemaInference.Infer(stream, records);
    }

    // The cursor column's index and the saved position, for an incremental read; (-1, null) for a full one.
    private static (int Index, CursorValue? Saved) Cursor(StreamSchema schema, HttpStreamOptions stream, ReadRequest request)
    {
        if (request.Mode != SyncMode.Incremental)
        {
            return (-1, null);
        }

        var index = schema.Columns.ToList().FindIndex(c => c.Key == stream.CursorField);
        var column = schema.Columns[index];
        if (request.CursorField is not null && request.CursorField != column.Name)
        {
            throw new PluginException($"Stream '{stream.Name}' reads incrementally by '{column.Name}' (its cursor field, which the API is asked by); '{request.CursorField}' cannot be the cursor.");
        }

        return (index, CursorValue.FromState(request.State, column.Type, stream.Name));
    }

    private static void Fill(object?[] values, JsonElement record, StreamSchema schema, HttpStreamOptions stream, int number, int page)
    {
        System.Array.Clear(values);
        var seen = new bool[values.Length];
        foreach (var property in record.EnumerateObject())
        {
            var index = schema.IndexOf(property.Name);
            if (index < 0 || seen[index])
            {
                continue;
            }

            seen[index] = true;
            var column = schema.Columns[index];
            values[index] = ValueConverter.Convert(property.Value, column.Type, out var problem);
            if (problem is not null)
            {
                throw new PluginException($"Stream '{stream.Name}', record {number} (page {page}{Identify(record, stream)}): field '{column.Key}' is {JsonPath.Describe(property.Value)}, {problem}. " +
                    $"The column is {column.Type.ToString().ToLowerInvariant()}{(stream.Fields.Any(f => f.Name == column.Key) ? " as listed in the field types" : ", inferred from the first page")}; " +
                    "list the field with the type the API really sends (string or json take anything).");
            }
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is null && !schema.Columns[i].Nullable)
            {
                throw new PluginException($"Stream '{stream.Name}', record {number} (page {page}): it has no value for the primary key field '{schema.Columns[i].Key}'.");
            }
        }
    }

    private static string Identify(JsonElement record, HttpStreamOptions stream)
    {
        var keys = stream.PrimaryKey
            .Select(k => record.TryGetProperty(k, out var v) ? $"{k}={v.GetRawText()}" : null)
            .Where(k => k is not null)
            .ToList();
        return keys.Count == 0 ? "" : ", " + string.Join(", ", keys);
    }
}
