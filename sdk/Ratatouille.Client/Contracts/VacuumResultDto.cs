namespace Ratatouille.Client.Contracts;

/// <summary>What a vacuum removed.</summary>
/// <param name="ExpiredSnapshots">Snapshots marked expired.</param>
/// <param name="DeletedFiles">Data files only expired snapshots used.</param>
/// <param name="DeletedBytes">Bytes freed.</param>
/// <param name="OrphansDeleted">Unreferenced files removed (left by crashed writes).</param>
public sealed record VacuumResultDto(int ExpiredSnapshots, int DeletedFiles, long DeletedBytes, int OrphansDeleted);
