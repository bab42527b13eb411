using System.Text.Json;

namespace Ratatouille.Client.Contracts;

/// <summary>A JSON query result: rows are arrays of values in column order.</summary>
public sealed record QueryResultDto
{
    /// <summary>Result columns.</summary>
    public required IReadOnlyList<ColumnDto> Columns { get; init; }

    /// <summary>Rows; DECIMAL and HUGEINT are exact JSON numbers, timestamps ISO-like strings, lists and structs JSON arrays and objects.</summary>
    public required IReadOnlyList<IReadOnlyList<JsonElement>> Rows { get; init; }

    /// <summary>Rows returned.</summary>
    public long RowCount { get; init; }

    /// <summary>True when more rows existed than the limit allowed.</summary>
    public bool Truncated { get; init; }

    /// <summary>Time spent in the server, in milliseconds.</summary>
    public double ElapsedMs { get; init; }

    /// <summary>Data API only: the snapshot the page was read from (pass it back for stable paging).</summary>
    public long? SnapshotId { get; init; }
}
