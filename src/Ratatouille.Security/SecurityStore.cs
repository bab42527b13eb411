using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ratatouille.Security.Storage;

namespace Ratatouille.Security;

/// <summary>Migrates the security tables and creates the first admin from the environment on unattended installs.</summary>
public sealed class SecurityStore(IDbContextFactory<SecurityDbContext> dbFactory, UserService users, ILogger<SecurityStore> logger)
{
    public const string AdminUserVariable = "RATATOUILLE_ADMIN_USER";
    public const string AdminPasswordVariable = "RATATOUILLE_ADMIN_PASSWORD";

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Creates <paramref name="username"/> as admin when no user exists yet.</summary>
    public async Task BootstrapAdminAsync(string? username, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        await users.SetupAsync(username, password, Actor.System, cancellationToken);
        logger.LogInformation("Created the first administrator '{User}' from {Variable}", username, AdminUserVariable);
    }
}
