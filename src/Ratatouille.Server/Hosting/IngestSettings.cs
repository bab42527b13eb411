using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Server.Hosting;

/// <summary>Upload limits (section <c>Ingest</c>).</summary>
public sealed class IngestSettings
{
    public const string Section = "Ingest";

    /// <summary>Largest file an upload may send, in megabytes.</summary>
    [Range(1, 1_048_576)]
    public long MaxUploadMb { get; set; } = 2048;

    public long MaxUploadBytes => MaxUploadMb * 1024 * 1024;
}
