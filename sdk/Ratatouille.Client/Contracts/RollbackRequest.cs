namespace Ratatouille.Client.Contracts;

/// <summary>Restores a dataset to an earlier snapshot (as a new snapshot).</summary>
/// <param name="SnapshotId">The snapshot to restore.</param>
public sealed record RollbackRequest(long SnapshotId);
