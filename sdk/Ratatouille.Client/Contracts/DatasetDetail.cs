namespace Ratatouille.Client.Contracts;

/// <summary>A dataset with its schema.</summary>
public sealed record DatasetDetail
{
    /// <summary>Figures of the current snapshot.</summary>
    public required DatasetSummary Dataset { get; init; }

    /// <summary>Columns of the current snapshot.</summary>
    public required IReadOnlyList<ColumnDto> Columns { get; init; }
}
