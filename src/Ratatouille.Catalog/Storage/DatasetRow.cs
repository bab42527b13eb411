namespace Ratatouille.Catalog.Storage;

public sealed class DatasetRow
{
    public long Id { get; set; }

    public string Layer { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public DateTime CreatedAt { get; set; }

    public long? CurrentSnapshotId { get; set; }

    /// <summary>Bumped by every commit; the optimistic-concurrency token.</summary>
    public long Version { get; set; }
}
