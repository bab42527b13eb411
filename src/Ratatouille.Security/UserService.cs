using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ratatouille.Security.Storage;

namespace Ratatouille.Security;

/// <summary>A user as the API shows it (never the password hash).</summary>
public sealed record UserInfo(string Username, string Role, bool Disabled, DateTime CreatedAt, DateTime? LastLoginAt, bool LockedOut);

/// <summary>The outcome of a login attempt.</summary>
public sealed record LoginResult(bool Succeeded, UserInfo? User, string? Failure, string? SecurityStamp);

/// <summary>
/// Users and passwords. Passwords are hashed with ASP.NET Core Identity's hasher (PBKDF2, salted,
/// versioned); repeated failures lock the account for a while; every change is audited.
/// </summary>
public sealed partial class UserService(
    IDbContextFactory<SecurityDbContext> dbFactory,
    AuditLog audit,
    TimeProvider clock,
    IOptions<SecurityOptions> options)
{
    private static readonly PasswordHasher<UserRow> Hasher = new();
    private volatile bool _adminExists;

    /// <summary>True once any enabled admin exists (cached once true: the product never removes the last admin).</summary>
    public async Task<bool> AdminExistsAsync(CancellationToken cancellationToken)
    {
        if (_adminExists)
        {
            return true;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        _adminExists = await db.Users.AnyAsync(u => u.Role == Roles.Admin && !u.Disabled, cancellationToken);
        return _adminExists;
    }

    public async Task<IReadOnlyList<UserInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Users.AsNoTracking().OrderBy(u => u.Username).ToListAsync(cancellationToken);
        return rows.Select(ToInfo).ToList();
    }

    public async Task<UserInfo> GetAsync(string username, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return ToInfo(await FindAsync(db, username, cancellationToken));
    }

    /// <summary>Creates the first admin; refused once any user exists.</summary>
    public async Task<UserInfo> SetupAsync(string username, string password, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Users.AnyAsync(cancellationToken))
        {
            throw new SecurityException(SecurityError.Conflict, "Setup is already done: an administrator exists. Sign in instead.");
        }

        var admin = await CreateAsync(username, password, Roles.Admin, actor with { Name = username }, cancellationToken);
        await audit.WriteAsync(actor with { Name = username }, "auth.setup", username, detail: actor == Actor.System ? "from environment" : null, cancellationToken: CancellationToken.None);
        return admin;
    }

    public async Task<UserInfo> CreateAsync(string username, string password, string role, Actor actor, CancellationToken cancellationToken)
    {
        ValidateUsername(username);
        ValidateRole(role);
        ValidatePassword(password);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Users.AnyAsync(u => u.Username == username, cancellationToken))
        {
            throw new SecurityException(SecurityError.Conflict, $"A user named '{username}' already exists.");
        }

        var row = new UserRow { Username = username, Role = role, CreatedAt = clock.GetUtcNow().UtcDateTime };
        row.PasswordHash = Hasher.HashPassword(row, password);
        db.Users.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(actor, "user.create", username, detail: $"role={role}", cancellationToken: CancellationToken.None);
        return ToInfo(row);
    }

    /// <summary>Changes role, enabled state or password (admin action). Refuses to remove the last enabled admin.</summary>
    public async Task<UserInfo> UpdateAsync(string username, string? role, bool? disabled, string? newPassword, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await FindAsync(db, username, cancellationToken, tracked: true);
        var changes = new List<string>();
        if (role is not null && role != row.Role)
        {
            ValidateRole(role);
            changes.Add($"role {row.Role}→{role}");
            row.Role = role;
        }

        if (disabled is { } d && d != row.Disabled)
        {
            changes.Add(d ? "disabled" : "enabled");
            row.Disabled = d;
        }

        if (newPassword is not null)
        {
            ValidatePassword(newPassword);
            row.PasswordHash = Hasher.HashPassword(row, newPassword);
            row.FailedLogins = 0;
            row.LockedUntil = null;
            changes.Add("password reset");
        }

        if (changes.Count == 0)
        {
            return ToInfo(row);
        }

        if ((row.Role != Roles.Admin || row.Disabled) && !await db.Users.AnyAsync(u => u.Id != row.Id && u.Role == Roles.Admin && !u.Disabled, cancellationToken))
        {
            throw new SecurityException(SecurityError.Conflict, "This is the last enabled administrator; make another user admin first.");
        }

        row.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(actor, "user.update", username, detail: string.Join(", ", changes), cancellationToken: CancellationToken.None);
        return ToInfo(row);
    }

    public async Task DeleteAsync(string username, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await FindAsync(db, username, cancellationToken, tracked: true);
        if (row.Role == Roles.Admin && !await db.Users.AnyAsync(u => u.Id != row.Id && u.Role == Roles.Admin && !u.Disabled, cancellationToken))
        {
            throw new SecurityException(SecurityError.Conflict, "This is the last enabled administrator; it cannot be deleted.");
        }

        db.Users.Remove(row);
        await db.ApiKeys.Where(k => k.CreatedBy == row.Username && k.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.RevokedAt, clock.GetUtcNow().UtcDateTime), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(actor, "user.delete", username, cancellationToken: CancellationToken.None);
    }

    /// <summary>Checks a password; counts failures and locks the account after too many in a row. Audited either way.</summary>
    public async Task<LoginResult> LoginAsync(string username, string password, Actor origin, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Users.SingleOrDefaultAsync(u => u.Username == username, cancellationToken);
        const string Generic = "Invalid username or password.";
        if (row is null)
        {
            // Same work as a real check, so timing does not tell which usernames exist.
            Hasher.VerifyHashedPassword(new UserRow(), DummyHash, password);
            await audit.WriteAsync(origin with { Name = Truncate(username) }, "auth.login", username, success: false, detail: "unknown user", cancellationToken: CancellationToken.None);
            return new LoginResult(false, null, Generic, null);
        }

        if (row.LockedUntil is { } until && until > now)
        {
            await audit.WriteAsync(origin with { Name = row.Username }, "auth.login", row.Username, success: false, detail: "locked out", cancellationToken: CancellationToken.None);
            return new LoginResult(false, null, $"Too many failed attempts: the account is locked until {until:HH:mm:ss} UTC.", null);
        }

        var verdict = Hasher.VerifyHashedPassword(row, row.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed || row.Disabled)
        {
            if (verdict == PasswordVerificationResult.Failed)
            {
                row.FailedLogins++;
                if (row.FailedLogins >= options.Value.MaxFailedLogins)
                {
                    row.LockedUntil = now + options.Value.LockoutDuration;
                    row.FailedLogins = 0;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await audit.WriteAsync(origin with { Name = row.Username }, "auth.login", row.Username, success: false, detail: row.Disabled ? "disabled" : "wrong password", cancellationToken: CancellationToken.None);
            return new LoginResult(false, null, row.Disabled && verdict != PasswordVerificationResult.Failed ? "This account is disabled." : Generic, null);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            row.PasswordHash = Hasher.HashPassword(row, password);
        }

        row.FailedLogins = 0;
        row.LockedUntil = null;
        row.LastLoginAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(origin with { Name = row.Username }, "auth.login", row.Username, cancellationToken: CancellationToken.None);
        return new LoginResult(true, ToInfo(row), null, row.SecurityStamp);
    }

    /// <summary>A user changes their own password, proving the current one.</summary>
    public async Task ChangePasswordAsync(string username, string currentPassword, string newPassword, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await FindAsync(db, username, cancellationToken, tracked: true);
        if (Hasher.VerifyHashedPassword(row, row.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
        {
            await audit.WriteAsync(actor, "user.password", username, success: false, detail: "wrong current password", cancellationToken: CancellationToken.None);
            throw new SecurityException(SecurityError.Invalid, "The current password is not correct.");
        }

        ValidatePassword(newPassword);
        row.PasswordHash = Hasher.HashPassword(row, newPassword);
        row.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(actor, "user.password", username, cancellationToken: CancellationToken.None);
    }

    /// <summary>The user's current role and stamp if the account is still usable, else null (used to re-validate sessions).</summary>
    public async Task<(string Role, string Stamp)?> GetSessionStateAsync(string username, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Username == username, cancellationToken);
        return row is null || row.Disabled ? null : (row.Role, row.SecurityStamp);
    }

    private static readonly string DummyHash = Hasher.HashPassword(new UserRow(), Guid.NewGuid().ToString());

    private void ValidatePassword(string password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < options.Value.MinPasswordLength)
        {
            throw new SecurityException(SecurityError.Invalid, $"The password must have at least {options.Value.MinPasswordLength} characters.");
        }
    }

    private static void ValidateUsername(string username)
    {
        if (string.IsNullOrEmpty(username) || !UsernamePattern().IsMatch(username))
        {
            throw new SecurityException(SecurityError.Invalid, "A username has 2–64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit.");
        }
    }

    private static void ValidateRole(string role)
    {
        if (!Roles.IsValid(role))
        {
            throw new SecurityException(SecurityError.Invalid, $"Unknown role '{role}': use viewer, editor or admin.");
        }
    }

    private static async Task<UserRow> FindAsync(SecurityDbContext db, string username, CancellationToken cancellationToken, bool tracked = false)
    {
        var query = tracked ? db.Users : db.Users.AsNoTracking();
        return await query.SingleOrDefaultAsync(u => u.Username == username, cancellationToken)
            ?? throw new SecurityException(SecurityError.NotFound, $"User '{username}' does not exist.");
    }

    private UserInfo ToInfo(UserRow row) => new(
        row.Username, row.Role, row.Disabled, DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc),
        row.LastLoginAt is { } l ? DateTime.SpecifyKind(l, DateTimeKind.Utc) : null,
        row.LockedUntil is { } u && u > clock.GetUtcNow().UtcDateTime);

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();
}
