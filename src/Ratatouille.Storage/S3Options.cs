using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Storage;

/// <summary>Connection to an S3-compatible object store (section <c>Storage:S3</c>).</summary>
public sealed class S3Options
{
    /// <summary>Endpoint URL, e.g. <c>http://minio:9000</c>.</summary>
    [Required]
    public string Endpoint { get; set; } = "http://localhost:9000";

    [Required]
    public string Bucket { get; set; } = "ratatouille";

    [Required]
    public string AccessKey { get; set; } = string.Empty;

    [Required]
    public string SecretKey { get; set; } = string.Empty;

    public string Region { get; set; } = "us-east-1";
}
