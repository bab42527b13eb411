using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ratatouille.Catalog;
using Ratatouille.Client.Contracts;

namespace Ratatouille.Server.Api;

/// <summary>Health probes and catalog maintenance.</summary>
public static class MaintenanceEndpoints
{
    public static IEndpointRouteBuilder MapMaintenanceEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/maintenance/vacuum", async (VacuumRequest request, HttpContext http, CatalogService catalog, Security.AuditLog audit, CancellationToken cancellationToken) =>
            {
                if (request.RetentionHours is < 0 || request.OrphanGraceMinutes is < 0)
                {
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: "retentionHours and orphanGraceMinutes must be zero or more.");
                }

                var result = await catalog.VacuumAsync(
                    request.RetentionHours is { } h ? TimeSpan.FromHours(h) : null,
                    request.OrphanGraceMinutes is { } m ? TimeSpan.FromMinutes(m) : null,
                    cancellationToken);
                await audit.WriteAsync(http.Actor(), "maintenance.vacuum", "warehouse",
                    detail: $"expired {result.ExpiredSnapshots} snapshots, deleted {result.DeletedFiles} files and {result.OrphansDeleted} orphans", cancellationToken: CancellationToken.None);
                return TypedResults.Ok(new VacuumResultDto(result.ExpiredSnapshots, result.DeletedFiles, result.DeletedBytes, result.OrphansDeleted));
            })
            .RequireAuthorization(Hosting.Policies.Admin)
            .WithTags("Maintenance")
            .WithName("Vacuum")
            .WithSummary("Vacuum the warehouse")
            .WithDescription("Expires snapshots older than the retention (the current one is always kept), deletes files only expired snapshots used, " +
                "and deletes unreferenced files (left by interrupted writes) older than the grace period.")
            .Produces<VacuumResultDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        routes.MapGet("/health/live", () => TypedResults.Ok(new HealthReportDto("live", new Dictionary<string, object>())))
            .AllowAnonymous()
            .WithTags("Health")
            .WithName("Live")
            .WithSummary("Liveness probe")
            .WithDescription("200 while the process serves requests.");

        routes.MapGet("/health/ready", async (HealthCheckService health, CancellationToken cancellationToken) =>
            {
                var report = await health.CheckHealthAsync(cancellationToken);
                var data = report.Entries.SelectMany(e => e.Value.Data).ToDictionary(d => d.Key, d => d.Value);
                var body = new HealthReportDto(report.Status == HealthStatus.Healthy ? "ready" : "not ready", data);
                return report.Status == HealthStatus.Healthy ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .AllowAnonymous()
            .WithTags("Health")
            .WithName("Ready")
            .WithSummary("Readiness probe")
            .WithDescription("200 when the metadata store, the query engine and the object store answer; 503 otherwise, with each one's state.")
            .Produces<HealthReportDto>()
            .Produces<HealthReportDto>(StatusCodes.Status503ServiceUnavailable);

        return routes;
    }
}

/// <summary>A health probe's answer.</summary>
public sealed record HealthReportDto(string Status, IReadOnlyDictionary<string, object> Checks);
