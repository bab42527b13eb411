using Apache.Arrow;

namespace Ratatouille.Sdk;

/// <summary>
/// Read-only SQL over the catalog: one SELECT in DuckDB's dialect, datasets addressed as
/// <c>layer.name</c> (e.g. <c>silver.orders</c>). Runs in the same sandbox as users' queries.
/// </summary>
public interface IQueryContext
{
    /// <summary>The columns the query would return, without running it.</summary>
    Task<Schema> DescribeAsync(string sql, CancellationToken cancellationToken);

    /// <summary>Runs the query and streams its result as record batches (dispose each batch when done).</summary>
    IAsyncEnumerable<RecordBatch> QueryAsync(string sql, CancellationToken cancellationToken);
}
