using Microsoft.AspNetCore.Mvc;
using Ratatouille.Client.Contracts;
using Ratatouille.Query;

namespace Ratatouille.Server.Api;

/// <summary><c>/api/v1/query</c>: sandboxed SQL with JSON results or streamed exports.</summary>
public static class QueryEndpoints
{
    internal const string SqlItemKey = "ratatouille.sql";

    public static IEndpointRouteBuilder MapQueryEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/query").WithTags("Query").RequireAuthorization(Hosting.Policies.Viewer);

        group.MapPost("/", async (QueryRequestDto body, [FromQuery] string? format, HttpContext http, QueryEngine engine, CancellationToken cancellationToken) =>
            {
                await RunAsync(http, engine, body.Sql, body.Limit, body.Snapshots, format, cancellationToken);
                return Results.Empty;
            })
            .WithName("RunQuery")
            .WithSummary("Run a read-only SQL statement")
            .WithDescription("Runs one SELECT in the sandbox (datasets are views named <layer>.<name>). The result format follows `format` " +
                "(json, csv, parquet, arrow) or the Accept header: application/json (row-limited, default 1000 rows), text/csv, " +
                "application/vnd.apache.parquet or application/vnd.apache.arrow.stream (full exports, streamed). " +
                "`snapshots` reads named datasets at older snapshots (time travel).")
            .Accepts<QueryRequestDto>("application/json")
            .Produces<QueryResultDto>(StatusCodes.Status200OK, ResultFormats.Json, ResultFormats.Csv, ResultFormats.Parquet, ResultFormats.Arrow)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status406NotAcceptable)
            .ProducesProblem(StatusCodes.Status408RequestTimeout);

        group.MapGet("/", async ([FromQuery] string? sql, [FromQuery] int? limit, [FromQuery] string? format, HttpContext http, QueryEngine engine, CancellationToken cancellationToken) =>
            {
                await RunAsync(http, engine, sql, limit, null, format, cancellationToken);
                return Results.Empty;
            })
            .WithName("RunQueryGet")
            .WithSummary("Run a read-only SQL statement given in the query string")
            .WithDescription("Same as POST, for links and downloads: `?sql=SELECT…&format=csv`.")
            .Produces<QueryResultDto>(StatusCodes.Status200OK, ResultFormats.Json, ResultFormats.Csv, ResultFormats.Parquet, ResultFormats.Arrow)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status408RequestTimeout);

        return routes;
    }

    private static async Task RunAsync(
        HttpContext http, QueryEngine engine, string? sql, int? limit, IReadOnlyDictionary<string, long>? snapshots, string? format, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            throw new QueryException(QueryErrorKind.Invalid, "sql is required.");
        }

        if (limit is < 0)
        {
            throw new QueryException(QueryErrorKind.Invalid, "limit must be zero or more.");
        }

        http.Items[SqlItemKey] = sql;
        var output = ResultFormats.Resolve(http.Request, format);
        ResultFormats.Prepare(http.Response, output, "query");
        await engine.RunAsync(new QueryRequest(sql) { Limit = limit, Snapshots = snapshots }, output, http.Response.Body, cancellationToken);
    }
}
