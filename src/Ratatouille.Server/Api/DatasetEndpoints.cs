using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Ratatouille.Catalog;
using Ratatouille.Catalog.Model;
using Ratatouille.Client.Contracts;
using Ratatouille.Query;
using Ratatouille.Security;
using Ratatouille.Server.Hosting;

namespace Ratatouille.Server.Api;

/// <summary><c>/api/v1/datasets</c>: the catalog, uploads, snapshots and the data API.</summary>
public static class DatasetEndpoints
{
    public static IEndpointRouteBuilder MapDatasetEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/datasets").WithTags("Datasets").RequireAuthorization(Policies.Viewer);

        group.MapGet("/", async (CatalogService catalog, CancellationToken cancellationToken) =>
                TypedResults.Ok((await catalog.ListDatasetsAsync(cancellationToken)).Select(d => d.ToSummary()).ToList()))
            .WithName("ListDatasets")
            .WithSummary("List datasets")
            .WithDescription("Every dataset in bronze, silver and gold with the row count, size and id of its current snapshot.");

        group.MapGet("/{layer}/{name}", async (string layer, string name, CatalogService catalog, CancellationToken cancellationToken) =>
                TypedResults.Ok((await catalog.GetDatasetAsync(DatasetName.Create(layer, name), cancellationToken)).ToDetail()))
            .WithName("GetDataset")
            .WithSummary("Get a dataset")
            .WithDescription("Schema, row count, size and current snapshot of one dataset.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{layer}/{name}", async (string layer, string name, HttpContext http, CatalogService catalog, AuditLog audit, CancellationToken cancellationToken) =>
            {
                var dataset = DatasetName.Create(layer, name);
                await catalog.DeleteAsync(dataset, cancellationToken);
                await audit.WriteAsync(http.Actor(), "dataset.delete", dataset.ToString(), cancellationToken: CancellationToken.None);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Editor)
            .WithName("DeleteDataset")
            .WithSummary("Delete a dataset")
            .WithDescription("Removes the dataset, its snapshot history and its data files. Raw files in landing/ are kept.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{layer}/{name}/upload", UploadAsync)
            .WithName("UploadFile")
            .WithSummary("Upload a file into a dataset")
            .WithDescription("Multipart upload (field `file`) of CSV, TSV, JSON (array or newline-delimited) or Parquet. " +
                "`mode`: append (default, creates the dataset if needed; new columns are added, compatible types widened), " +
                "replace, or create (fails if the dataset exists). Types are inferred by DuckDB; override with `delimiter`, `header`, " +
                "`quote`, `nullString` and `types=column:TYPE` (repeatable). The raw file is kept in landing/. A file that cannot be read " +
                "is rejected with the reason and nothing is committed.")
            .RequireAuthorization(Policies.Editor)
            .Accepts<UploadForm>("multipart/form-data")
            .Produces<UploadResult>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .DisableAntiforgery();

        group.MapGet("/{layer}/{name}/snapshots", async (string layer, string name, CatalogService catalog, CancellationToken cancellationToken) =>
                TypedResults.Ok((await catalog.ListSnapshotsAsync(DatasetName.Create(layer, name), cancellationToken)).Select(s => s.ToDto()).ToList()))
            .WithName("ListSnapshots")
            .WithSummary("List a dataset's snapshots")
            .WithDescription("Newest first. Any snapshot that is not expired can be read (time travel) or restored (rollback).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{layer}/{name}/rollback", async (string layer, string name, RollbackRequest request, HttpContext http, CatalogService catalog, AuditLog audit, CancellationToken cancellationToken) =>
            {
                var dataset = DatasetName.Create(layer, name);
                var snapshot = await catalog.RollbackAsync(dataset, request.SnapshotId, cancellationToken);
                await audit.WriteAsync(http.Actor(), "dataset.rollback", dataset.ToString(), detail: $"to snapshot {request.SnapshotId}, new snapshot {snapshot.Id}", cancellationToken: CancellationToken.None);
                return TypedResults.Ok(snapshot.ToDto());
            })
            .RequireAuthorization(Policies.Editor)
            .WithName("RollbackDataset")
            .WithSummary("Roll a dataset back to a snapshot")
            .WithDescription("Commits a new snapshot with the files and schema of the given one; history is kept.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        group.MapGet("/{layer}/{name}/rows", RowsAsync)
            .WithName("GetRows")
            .WithSummary("Read rows (the data API)")
            .WithDescription("Pages of a dataset: `limit` (default 100), `offset`, `select=a,b`, `orderBy=a:desc,b`, " +
                "`filter=column:op:value` (repeatable; op: eq, ne, lt, le, gt, ge, like, ilike, in with values separated by |, isnull, notnull), " +
                "`snapshot` to pin the snapshot the first page returned (stable paging). Values are bound as parameters. " +
                "JSON by default; CSV, Parquet or Arrow through Accept or `format`.")
            .Produces<QueryResultDto>(StatusCodes.Status200OK, ResultFormats.Json, ResultFormats.Csv, ResultFormats.Parquet, ResultFormats.Arrow)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        return routes;
    }

    private static async Task<IResult> UploadAsync(
        string layer,
        string name,
        [FromQuery] string? mode,
        [FromQuery] string? format,
        [FromQuery] string? delimiter,
        [FromQuery] bool? header,
        [FromQuery] string? quote,
        [FromQuery] string? nullString,
        [FromQuery] string[]? types,
        HttpContext http,
        IngestService ingest,
        AuditLog audit,
        IOptions<IngestSettings> settings,
        CancellationToken cancellationToken)
    {
        var dataset = DatasetName.Create(layer, name);
        var (writeMode, createOnly) = (mode ?? "append").ToLowerInvariant() switch
        {
            "append" => (WriteMode.Append, false),
            "replace" => (WriteMode.Replace, false),
            "create" => (WriteMode.Replace, true),
            _ => throw new IngestException($"Unknown mode '{mode}': use append, replace or create."),
        };
        var options = new IngestOptions
        {
            Format = ParseFormat(format),
            Delimiter = delimiter,
            Header = header,
            Quote = quote,
            NullString = nullString,
            Types = ParseTypes(types),
        };

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            throw new IngestException("Send the file as multipart/form-data in a field named 'file'.");
        }

        var maxBytes = settings.Value.MaxUploadBytes;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = maxBytes + (1024 * 1024);
        }

        var reader = new MultipartReader(boundary, http.Request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                && disposition.IsFileDisposition()
                && string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, "file", StringComparison.Ordinal))
            {
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value is { Length: > 0 } star
                    ? star
                    : HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "upload";
                var result = await ingest.IngestAsync(dataset, section.Body, fileName, options, writeMode, createOnly, maxBytes, cancellationToken);
                await audit.WriteAsync(http.Actor(), "dataset.upload", dataset.ToString(),
                    detail: $"{fileName}: {result.RowsWritten} rows, mode {mode ?? "append"}, snapshot {result.Snapshot.Id}", cancellationToken: CancellationToken.None);
                var body = new UploadResult
                {
                    Dataset = dataset.ToString(),
                    SnapshotId = result.Snapshot.Id,
                    RowCount = result.RowsWritten,
                    TotalRows = result.Snapshot.RowCount,
                    Columns = result.Snapshot.Schema.ToColumns(),
                    LandingKey = result.LandingKey,
                };
                return TypedResults.Created($"/api/v1/datasets/{dataset.LayerName}/{dataset.Name}", body);
            }
        }

        throw new IngestException("The request has no file field named 'file'.");
    }

    private static async Task<IResult> RowsAsync(
        string layer,
        string name,
        [FromQuery] int? limit,
        [FromQuery] long? offset,
        [FromQuery] string? select,
        [FromQuery] string? orderBy,
        [FromQuery] string[]? filter,
        [FromQuery] long? snapshot,
        [FromQuery] string? format,
        HttpContext http,
        RowsQueryBuilder rows,
        QueryEngine engine,
        CancellationToken cancellationToken)
    {
        var dataset = DatasetName.Create(layer, name);
        var output = ResultFormats.Resolve(http.Request, format);
        var effectiveLimit = output == OutputFormat.Json ? limit ?? 100 : limit;
        var (request, snapshotId) = await rows.BuildAsync(dataset, snapshot, select, orderBy, filter ?? [], effectiveLimit, offset ?? 0, cancellationToken);
        ResultFormats.Prepare(http.Response, output, $"{dataset.LayerName}.{dataset.Name}");
        await engine.RunAsync(request, output, http.Response.Body, cancellationToken, writer => writer.WriteNumber("snapshotId", snapshotId));
        return Results.Empty;
    }

    private static FileFormat? ParseFormat(string? format) => format?.ToLowerInvariant() switch
    {
        null or "" => null,
        "csv" => FileFormat.Csv,
        "tsv" => FileFormat.Tsv,
        "json" or "ndjson" or "jsonl" => FileFormat.Json,
        "parquet" => FileFormat.Parquet,
        _ => throw new IngestException($"Unknown format '{format}': use csv, tsv, json or parquet."),
    };

    private static Dictionary<string, string>? ParseTypes(string[]? types)
    {
        if (types is null || types.Length == 0)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in types)
        {
            var colon = item.LastIndexOf(':');
            if (colon <= 0 || colon == item.Length - 1)
            {
                throw new IngestException($"Type override '{item}' must look like column:TYPE, e.g. zip:VARCHAR.");
            }

            result[item[..colon]] = item[(colon + 1)..];
        }

        return result;
    }
}

/// <summary>The multipart form of an upload (documents the request body in Swagger).</summary>
public sealed class UploadForm
{
    /// <summary>The file: .csv, .tsv, .json, .ndjson/.jsonl or .parquet.</summary>
    public required IFormFile File { get; init; }
}
