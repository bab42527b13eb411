using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Ratatouille.Security.Storage;

namespace Ratatouille.Security;

/// <summary>A secret as the API shows it: metadata and a mask, never the value.</summary>
public sealed record SecretInfo(string Name, string Mask, DateTime CreatedAt, DateTime UpdatedAt, string UpdatedBy);

/// <summary>
/// Named secrets (connection passwords, tokens) encrypted at rest with ASP.NET Core Data Protection.
/// Write-only through the API: reads give metadata and a mask; only kernel code (connectors, later)
/// reads a value, by name.
/// </summary>
public sealed partial class SecretStore(IDbContextFactory<SecurityDbContext> dbFactory, IDataProtectionProvider protection, AuditLog audit, TimeProvider clock)
{
    public const string Mask = "••••••••";
    private readonly IDataProtector _protector = protection.CreateProtector("Ratatouille.Secrets.v1");

    public async Task<IReadOnlyList<SecretInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Secrets.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);
        return rows.Select(ToInfo).ToList();
    }

    public async Task<SecretInfo> SetAsync(string name, string value, Actor actor, CancellationToken cancellationToken)
    {
        ValidateName(name);
        if (string.IsNullOrEmpty(value) || value.Length > 65_536)
        {
            throw new SecurityException(SecurityError.Invalid, "A secret value must have 1–65536 characters.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Secrets.SingleOrDefaultAsync(s => s.Name == name, cancellationToken);
        var created = row is null;
        if (row is null)
        {
            row = new SecretRow { Name = name, CreatedAt = now };
            db.Secrets.Add(row);
        }

        row.Protected = _protector.Protect(value);
        row.UpdatedAt = now;
        row.UpdatedBy = actor.Name;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(actor, created ? "secret.create" : "secret.update", name, cancellationToken: CancellationToken.None);
        return ToInfo(row);
    }

    public async Task DeleteAsync(string name, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deleted = await db.Secrets.Where(s => s.Name == name).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            throw new SecurityException(SecurityError.NotFound, $"Secret '{name}' does not exist.");
        }

        await audit.WriteAsync(actor, "secret.delete", name, cancellationToken: CancellationToken.None);
    }

    /// <summary>The plaintext of a secret, for kernel code that uses it (never for API responses).</summary>
    public async Task<string> RevealAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Secrets.AsNoTracking().SingleOrDefaultAsync(s => s.Name == name, cancellationToken)
            ?? throw new SecurityException(SecurityError.NotFound, $"Secret '{name}' does not exist.");
        return _protector.Unprotect(row.Protected);
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            throw new SecurityException(SecurityError.Invalid, "A secret name has 1–128 letters, digits, '.', '_' or '-'.");
        }
    }

    private static SecretInfo ToInfo(SecretRow row) =>
        new(row.Name, Mask, DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(row.UpdatedAt, DateTimeKind.Utc), row.UpdatedBy);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
