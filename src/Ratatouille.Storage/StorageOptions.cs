using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Storage;

/// <summary>Where objects live (section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>local</c> (default: a folder under the data directory) or <c>s3</c>.</summary>
    [RegularExpression("^(local|s3)$", ErrorMessage = "Storage:Provider must be 'local' or 's3'.")]
    public string Provider { get; set; } = "local";

    /// <summary>Settings used when <see cref="Provider"/> is <c>s3</c>.</summary>
    public S3Options S3 { get; set; } = new();

    /// <summary>Upper bound of the node-local cache of S3 objects that DuckDB reads, in megabytes.</summary>
    [Range(16, 10_000_000)]
    public long CacheSizeMb { get; set; } = 4096;
}
