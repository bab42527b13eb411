namespace Ratatouille.Catalog.Model;

/// <summary>What a vacuum removed.</summary>
public sealed record VacuumResult(int ExpiredSnapshots, int DeletedFiles, long DeletedBytes, int OrphansDeleted);
