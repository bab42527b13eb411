using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ratatouille.Security.Storage;

namespace Ratatouille.Security;

/// <summary>An entry of the audit log.</summary>
public sealed record AuditEntry(long Id, DateTime At, string Actor, string Action, string Target, bool Success, string? Detail, string? RemoteAddress);

/// <summary>
/// Append-only record of security-relevant and data-changing actions. Nothing in the product
/// updates or deletes entries, and the database refuses it too (triggers).
/// </summary>
public sealed class AuditLog(IDbContextFactory<SecurityDbContext> dbFactory, TimeProvider clock, ILogger<AuditLog> logger)
{
    public async Task WriteAsync(Actor actor, string action, string target, bool success = true, string? detail = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Audit.Add(new AuditRow
        {
            At = clock.GetUtcNow().UtcDateTime,
            Actor = Truncate(actor.Name, 64),
            Action = Truncate(action, 64),
            Target = Truncate(target, 256),
            Success = success,
            Detail = detail is null ? null : Truncate(detail, 2048),
            RemoteAddress = actor.RemoteAddress is null ? null : Truncate(actor.RemoteAddress, 64),
        });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Audit {Action} {Target} by {Actor} from {Address}: {Outcome}", action, target, actor.Name, actor.RemoteAddress, success ? "ok" : "failed");
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(DateTime? from, DateTime? to, string? user, string? action, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Audit.AsNoTracking();
        if (from is { } f)
        {
            query = query.Where(a => a.At >= f);
        }

        if (to is { } t)
        {
            query = query.Where(a => a.At <= t);
        }

        if (!string.IsNullOrWhiteSpace(user))
        {
            query = query.Where(a => a.Actor == user);
        }

        if (!string.IsNullOrWhiteSpace(action))
        {
            query = query.Where(a => a.Action.StartsWith(action));
        }

        var rows = await query.OrderByDescending(a => a.Id).Take(Math.Clamp(limit, 1, 10_000)).ToListAsync(cancellationToken);
        return rows.Select(a => new AuditEntry(a.Id, DateTime.SpecifyKind(a.At, DateTimeKind.Utc), a.Actor, a.Action, a.Target, a.Success, a.Detail, a.RemoteAddress)).ToList();
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
