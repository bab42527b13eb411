namespace Ratatouille.Catalog.Model;

/// <summary>A dataset with the figures of its current snapshot.</summary>
public sealed record DatasetInfo(
    DatasetName Name,
    DateTime CreatedAt,
    SnapshotInfo? Current);
