namespace Ratatouille.Security.Storage;

public sealed class SecretRow
{
    public string Name { get; set; } = string.Empty;

    /// <summary>Data Protection ciphertext; the plaintext is never stored.</summary>
    public string Protected { get; set; } = string.Empty;

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = string.Empty;
}
