namespace Ratatouille.Security.Storage;

public sealed class UserRow
{
    public long Id { get; set; }

    public string Username { get; set; } = string.Empty;

    public string PasswordHash { get; set; } = string.Empty;

    public string Role { get; set; } = Roles.Viewer;

    public bool Disabled { get; set; }

    public int FailedLogins { get; set; }

    public DateTime? LockedUntil { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastLoginAt { get; set; }

    /// <summary>Changes when the password or role changes, so existing sessions are re-checked.</summary>
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");
}
