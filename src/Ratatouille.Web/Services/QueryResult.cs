using Ratatouille.Query;

namespace Ratatouille.Web.Services;

/// <summary>One page of a result, as the engine's JSON format describes it.</summary>
public sealed record QueryResult(
    IReadOnlyList<ResultColumn> Columns,
    IReadOnlyList<ResultRow> Rows,
    bool Truncated,
    double ElapsedMs);
