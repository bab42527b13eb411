namespace Ratatouille.Storage;

/// <summary>Validation and layout of object keys shared by every store.</summary>
public static class ObjectKeys
{
    /// <summary>Prefix of raw files kept as received.</summary>
    public const string Landing = "landing/";

    /// <summary>Prefix of immutable dataset files.</summary>
    public const string Warehouse = "warehouse/";

    /// <summary>
    /// Rejects keys that could escape the store's root or that S3 and file systems
    /// disagree about: empty segments, <c>.</c>/<c>..</c>, backslashes, control characters.
    /// </summary>
    public static string Validate(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Length > 900)
        {
            throw new ArgumentException("Object key is longer than 900 characters.", nameof(key));
        }

        if (key.StartsWith('/') || key.EndsWith('/') || key.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid object key '{key}'.", nameof(key));
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == ".." || segment.Any(char.IsControl))
            {
                throw new ArgumentException($"Invalid object key '{key}'.", nameof(key));
            }
        }

        return key;
    }

    /// <summary>Validates a listing prefix: empty, or a key-like string that may end with '/'.</summary>
    public static string ValidatePrefix(string prefix)
    {
        if (prefix.Length == 0)
        {
            return prefix;
        }

        Validate(prefix.TrimEnd('/'));
        return prefix;
    }
}
