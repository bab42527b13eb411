namespace Ratatouille.Security.Storage;

public sealed class ApiKeyRow
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    /// <summary>SHA-256 of the whole key, hex. The key itself is shown once and never stored.</summary>
    public string Hash { get; set; } = string.Empty;

    /// <summary>The key's first characters, to recognise it in a list.</summary>
    public string Prefix { get; set; } = string.Empty;

    public string Role { get; set; } = Roles.Viewer;

    /// <summary>Space-separated scopes; empty = everything the role allows.</summary>
    public string Scopes { get; set; } = string.Empty;

    public string CreatedBy { get; set; } = string.Empty;

    public DateTime CreatedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }
}
