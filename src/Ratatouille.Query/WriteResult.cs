using Ratatouille.Catalog.Model;

namespace Ratatouille.Query;

/// <summary>What a committed write produced.</summary>
public sealed record WriteResult(DatasetName Dataset, SnapshotInfo Snapshot, long RowsWritten, string? LandingKey);
