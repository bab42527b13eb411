namespace Ratatouille.Catalog.Model;

/// <summary>Raised after a commit, rollback or delete, so readers can refresh.</summary>
public sealed record CatalogChange(DatasetName Dataset, long? SnapshotId);
