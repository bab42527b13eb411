namespace Ratatouille.Client.Contracts;

/// <summary>Options of a vacuum run; omitted values use the server's configuration.</summary>
public sealed record VacuumRequest
{
    /// <summary>Expire snapshots older than this many hours (the current snapshot is always kept).</summary>
    public double? RetentionHours { get; init; }

    /// <summary>Delete unreferenced warehouse files older than this many minutes.</summary>
    public double? OrphanGraceMinutes { get; init; }
}
