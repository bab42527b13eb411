using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ratatouille.Catalog.Storage;

namespace Ratatouille.Catalog;

/// <summary>Brings the metadata database to the latest schema at start and answers the readiness probe.</summary>
public sealed class MetadataStore(IDbContextFactory<MetadataDbContext> dbFactory, ILogger<MetadataStore> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} metadata migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// Switches the database file to write-ahead logging (persistent): readers proceed while a commit
    /// is written, and a kill -9 mid-commit rolls back cleanly. Run before anything else opens the file.
    /// </summary>
    public async Task EnableWriteAheadLogAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    public async Task<bool> IsUsableAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken) && !(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any();
    }
}
