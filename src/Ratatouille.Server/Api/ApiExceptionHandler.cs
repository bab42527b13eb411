using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Ratatouille.Catalog.Model;
using Ratatouille.Plugins;
using Ratatouille.Query;
using Ratatouille.Security;

namespace Ratatouille.Server.Api;

/// <summary>Turns the kernel's exceptions into RFC 7807 problem documents with a useful detail.</summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(exception, httpContext);
        if (problem is null)
        {
            return false;
        }

        if (httpContext.Response.HasStarted)
        {
            logger.LogWarning(exception, "Request failed after the response started streaming");
            return true;
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    internal static ProblemDetails? Describe(Exception exception, HttpContext context) => exception switch
    {
        CatalogException ce => Problem(ce.Error switch
        {
            CatalogError.NotFound or CatalogError.SnapshotNotFound => StatusCodes.Status404NotFound,
            CatalogError.Conflict or CatalogError.AlreadyExists => StatusCodes.Status409Conflict,
            CatalogError.SnapshotExpired => StatusCodes.Status410Gone,
            _ => StatusCodes.Status400BadRequest,
        }, ce.Error switch
        {
            CatalogError.NotFound => "Dataset not found",
            CatalogError.SnapshotNotFound => "Snapshot not found",
            CatalogError.SnapshotExpired => "Snapshot expired",
            CatalogError.SchemaConflict => "Incompatible schema",
            CatalogError.Conflict => "Concurrent change",
            CatalogError.AlreadyExists => "Dataset exists",
            CatalogError.InvalidName => "Invalid dataset name",
            _ => "Invalid request",
        }, ce.Message),
        QueryException qe => QueryProblem(qe, context),
        SecurityException se => Problem(se.Error switch
        {
            SecurityError.NotFound => StatusCodes.Status404NotFound,
            SecurityError.Conflict => StatusCodes.Status409Conflict,
            SecurityError.Forbidden => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status400BadRequest,
        }, se.Error switch
        {
            SecurityError.NotFound => "Not found",
            SecurityError.Conflict => "Conflict",
            SecurityError.Forbidden => "Forbidden",
            _ => "Invalid request",
        }, se.Message),
        PluginOperationException pe => PluginProblem(pe),
        IngestException ie => Problem(ie.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest, ie.TooLarge ? "File too large" : "File rejected", ie.Message),
        NotAcceptableException na => Problem(StatusCodes.Status406NotAcceptable, "Not acceptable", na.Message),
        BadHttpRequestException { InnerException: JsonException je } be => Problem(be.StatusCode, "Bad request", DescribeBody(je)),
        BadHttpRequestException be => Problem(be.StatusCode, "Bad request", be.Message),
        OperationCanceledException when context.RequestAborted.IsCancellationRequested => Problem(499, "Client closed request", "The client went away; the work was cancelled."),
        _ => null,
    };

    /// <summary>Where a JSON body stopped fitting the endpoint's request shape, without .NET type names.</summary>
    private static string DescribeBody(JsonException error)
    {
        var where = error.LineNumber is { } line ? $" (line {line + 1}, position {error.BytePositionInLine + 1})" : "";
        // Syntax errors come from the reader (an internal JsonReaderException inside); the rest are values of the wrong shape.
        var syntax = error.InnerException?.GetType().Name == "JsonReaderException";
        return !syntax && error.Path is { Length: > 0 } path
            ? $"The request body does not fit this endpoint at {path}{where}: the value there has the wrong type or shape. See the endpoint's schema in Swagger."
            : $"The request body is not valid JSON{where}.";
    }

    private static ProblemDetails PluginProblem(PluginOperationException pe)
    {
        var (status, title) = pe.Kind switch
        {
            PluginErrorKind.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            PluginErrorKind.Invalid => (StatusCodes.Status400BadRequest, "Invalid configuration"),
            PluginErrorKind.Conflict => (StatusCodes.Status409Conflict, "Conflict"),
            PluginErrorKind.Unavailable => (StatusCodes.Status409Conflict, "Plugin unavailable"),
            PluginErrorKind.Reported => (StatusCodes.Status422UnprocessableEntity, "The source reported an error"),
            _ => (StatusCodes.Status502BadGateway, "Plugin failed"),
        };
        var problem = Problem(status, title, pe.Message);
        if (pe.Errors.Count > 0)
        {
            problem.Extensions["errors"] = pe.Errors;
        }

        return problem;
    }

    private static ProblemDetails QueryProblem(QueryException qe, HttpContext context)
    {
        var (status, title) = qe.Kind switch
        {
            QueryErrorKind.Refused => (StatusCodes.Status400BadRequest, "Statement refused"),
            QueryErrorKind.Timeout => (StatusCodes.Status408RequestTimeout, "Query timed out"),
            QueryErrorKind.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            _ => (StatusCodes.Status400BadRequest, "Invalid query"),
        };
        var problem = Problem(status, title, qe.Message);
        if (qe.Position is { } position)
        {
            problem.Extensions["position"] = position;
            if (context.Items.TryGetValue(QueryEndpoints.SqlItemKey, out var sql) && sql is string text && qe.LineColumn(text) is { } lc)
            {
                problem.Extensions["line"] = lc.Line;
                problem.Extensions["column"] = lc.Column;
            }
        }

        return problem;
    }

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };
}
