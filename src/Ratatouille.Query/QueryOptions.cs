using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Query;

/// <summary>Limits of the query engine (section <c>Query</c>).</summary>
public sealed class QueryOptions
{
    public const string Section = "Query";

    /// <summary>DuckDB <c>memory_limit</c> for user queries, e.g. <c>2GB</c>. DuckDB's own default (80% of RAM) is never used.</summary>
    [Required]
    [RegularExpression(@"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", ErrorMessage = "Query:MemoryLimit must look like '2GB'.")]
    public string MemoryLimit { get; set; } = "2GB";

    /// <summary>DuckDB <c>memory_limit</c> for ingest and kernel work.</summary>
    [Required]
    [RegularExpression(@"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", ErrorMessage = "Query:IngestMemoryLimit must look like '2GB'.")]
    public string IngestMemoryLimit { get; set; } = "2GB";

    /// <summary>DuckDB worker threads; 0 means one per core.</summary>
    [Range(0, 256)]
    public int Threads { get; set; }

    /// <summary>Longest a user statement may run before it is cancelled.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Rows returned by an interactive (JSON) query when the request names no limit.</summary>
    [Range(1, 10_000_000)]
    public int DefaultRowLimit { get; set; } = 1000;

    /// <summary>Most rows an interactive (JSON) query may return; exports are not limited.</summary>
    [Range(1, 100_000_000)]
    public int MaxRowLimit { get; set; } = 100_000;

    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}
