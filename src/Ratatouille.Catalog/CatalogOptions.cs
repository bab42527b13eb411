using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Catalog;

/// <summary>Snapshot retention and vacuum (section <c>Catalog</c>).</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>How long replaced snapshots stay readable (time travel, rollback) before vacuum expires them.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan SnapshotRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Files in the warehouse that no snapshot references are removed once older than this (a write in progress is younger).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromHours(1);
}
