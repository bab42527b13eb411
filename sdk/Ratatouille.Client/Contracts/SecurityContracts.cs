namespace Ratatouille.Client.Contracts;

/// <summary>Credentials for <c>POST /api/v1/auth/login</c> and <c>POST /api/v1/setup</c>.</summary>
/// <param name="Username">User name.</param>
/// <param name="Password">Password.</param>
public sealed record LoginRequest(string Username, string Password);

/// <summary>The signed-in identity.</summary>
/// <param name="Username">User name (for an API key: its owner).</param>
/// <param name="Role">Effective role: viewer, editor or admin.</param>
/// <param name="AuthenticatedBy"><c>cookie</c> or <c>apikey</c>.</param>
/// <param name="Scopes">Scopes of the API key, if any.</param>
public sealed record MeDto(string Username, string? Role, string AuthenticatedBy, IReadOnlyList<string> Scopes);

/// <summary>Whether the first administrator still has to be created.</summary>
/// <param name="SetupRequired">True until an administrator exists.</param>
public sealed record SetupStatusDto(bool SetupRequired);

/// <summary>A user (never the password).</summary>
public sealed record UserDto(string Username, string Role, bool Disabled, DateTimeOffset CreatedAt, DateTimeOffset? LastLoginAt, bool LockedOut);

/// <summary>Creates a user.</summary>
/// <param name="Username">2–64 letters, digits, '.', '_', '-', '@'.</param>
/// <param name="Password">At least 10 characters (configurable).</param>
/// <param name="Role">viewer, editor or admin.</param>
public sealed record CreateUserRequest(string Username, string Password, string Role);

/// <summary>Changes a user; omitted fields stay as they are.</summary>
public sealed record UpdateUserRequest
{
    /// <summary>New role.</summary>
    public string? Role { get; init; }

    /// <summary>Disable (true) or enable (false) the account.</summary>
    public bool? Disabled { get; init; }

    /// <summary>Reset the password.</summary>
    public string? Password { get; init; }
}

/// <summary>Changes the caller's own password.</summary>
/// <param name="CurrentPassword">The password in use now.</param>
/// <param name="NewPassword">The new password.</param>
public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);

/// <summary>Creates an API key.</summary>
public sealed record CreateApiKeyRequest
{
    /// <summary>What the key is for.</summary>
    public required string Name { get; init; }

    /// <summary>Role of the key; defaults to, and may not exceed, the creator's.</summary>
    public string? Role { get; init; }

    /// <summary>When the key stops working.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary><c>read-only</c>, <c>packages:push</c>; none = all the role allows.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }
}

/// <summary>An API key as listed (never the key).</summary>
public sealed record ApiKeyDto(string Id, string Name, string Prefix, string Role, IReadOnlyList<string> Scopes, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>A new API key: <see cref="Key"/> is shown this once and cannot be read again.</summary>
public sealed record CreatedApiKeyDto(string Id, string Key, string Name, string Prefix, string Role, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt);

/// <summary>A secret's metadata; the value is never returned.</summary>
public sealed record SecretDto(string Name, string Value, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>Sets a secret's value.</summary>
/// <param name="Value">The value; stored encrypted, never returned.</param>
public sealed record SetSecretRequest(string Value);

/// <summary>An audit log entry.</summary>
public sealed record AuditEntryDto(long Id, DateTimeOffset At, string Actor, string Action, string Target, bool Success, string? Detail, string? RemoteAddress);
