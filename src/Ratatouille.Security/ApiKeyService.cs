using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ratatouille.Security.Storage;

namespace Ratatouille.Security;

/// <summary>An API key as listed (never the key itself).</summary>
public sealed record ApiKeyInfo(string Id, string Name, string Prefix, string Role, IReadOnlyList<string> Scopes, string CreatedBy, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt);

/// <summary>A verified key: who it acts as.</summary>
public sealed record ApiKeyIdentity(string Id, string Name, string Owner, string Role, IReadOnlyList<string> Scopes);

/// <summary>
/// Revocable, optionally expiring API keys (<c>rat_…</c>). Only a SHA-256 hash is stored — keys are
/// 256-bit random, so a fast hash is enough; the key is shown once at creation. A key never carries
/// more than its creator's role.
/// </summary>
public sealed class ApiKeyService(IDbContextFactory<SecurityDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    public const string KeyPrefix = "rat_";

    public async Task<(ApiKeyInfo Info, string Key)> CreateAsync(
        string name, string? role, DateTime? expiresAt, IReadOnlyList<string>? scopes, Actor creator, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 128)
        {
            throw new SecurityException(SecurityError.Invalid, "An API key needs a name of 1–128 characters.");
        }

        var effectiveRole = role ?? creator.Role;
        if (!Roles.IsValid(effectiveRole))
        {
            throw new SecurityException(SecurityError.Invalid, $"Unknown role '{role}': use viewer, editor or admin.");
        }

        if (Roles.Rank(effectiveRole) > Roles.Rank(creator.Role))
        {
            throw new SecurityException(SecurityError.Forbidden, $"A key cannot carry more than its creator's role ({creator.Role}).");
        }

        var scopeList = (scopes ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (scopeList.FirstOrDefault(s => !Scopes.All.Contains(s)) is { } unknown)
        {
            throw new SecurityException(SecurityError.Invalid, $"Unknown scope '{unknown}': use {string.Join(" or ", Scopes.All)}.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (expiresAt is { } e && e.ToUniversalTime() <= now)
        {
            throw new SecurityException(SecurityError.Invalid, "expiresAt must be in the future.");
        }

        var key = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var row = new ApiKeyRow
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = name.Trim(),
            Hash = Hash(key),
            Prefix = key[..12],
            Role = effectiveRole,
            Scopes = string.Join(' ', scopeList),
            CreatedBy = creator.Name,
            CreatedAt = now,
            ExpiresAt = expiresAt?.ToUniversalTime(),
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(creator, "apikey.create", $"{row.Name} ({row.Id})", detail: $"role={row.Role} scopes={row.Scopes}", cancellationToken: CancellationToken.None);
        return (ToInfo(row), key);
    }

    /// <summary>Keys created by <paramref name="owner"/>, or every key when null (admins).</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string? owner, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.ApiKeys.AsNoTracking();
        if (owner is not null)
        {
            query = query.Where(k => k.CreatedBy == owner);
        }

        return (await query.OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken)).Select(ToInfo).ToList();
    }

    /// <summary>Revokes a key; users may revoke their own keys, admins any key.</summary>
    public async Task RevokeAsync(string id, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken)
            ?? throw new SecurityException(SecurityError.NotFound, $"API key '{id}' does not exist.");
        if (row.CreatedBy != actor.Name && actor.Role != Roles.Admin)
        {
            throw new SecurityException(SecurityError.NotFound, $"API key '{id}' does not exist.");
        }

        row.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(actor, "apikey.revoke", $"{row.Name} ({row.Id})", cancellationToken: CancellationToken.None);
    }

    /// <summary>The identity a presented key stands for, or null when unknown, revoked, expired or its owner is gone.</summary>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key.Length > 100)
        {
            return null;
        }

        var hash = Hash(key);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiKeys.SingleOrDefaultAsync(k => k.Hash == hash, cancellationToken);
        if (row is null || row.RevokedAt is not null || (row.ExpiresAt is { } exp && exp <= now))
        {
            return null;
        }

        // The key never outlives or outranks its creator: a disabled or demoted owner limits it at once.
        var owner = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Username == row.CreatedBy, cancellationToken);
        if (owner is null || owner.Disabled)
        {
            return null;
        }

        if (row.LastUsedAt is null || now - row.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            row.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        var scopes = row.Scopes.Length == 0 ? [] : row.Scopes.Split(' ');
        return new ApiKeyIdentity(row.Id, row.Name, row.CreatedBy, Roles.Min(row.Role, owner.Role), scopes);
    }

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ApiKeyInfo ToInfo(ApiKeyRow row) => new(
        row.Id, row.Name, row.Prefix, row.Role, row.Scopes.Length == 0 ? [] : row.Scopes.Split(' '), row.CreatedBy,
        DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc), Utc(row.ExpiresAt), Utc(row.RevokedAt), Utc(row.LastUsedAt));

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}
