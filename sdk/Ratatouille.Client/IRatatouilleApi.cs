using Ratatouille.Client.Contracts;
using Refit;

namespace Ratatouille.Client;

/// <summary>
/// The Ratatouille REST API (<c>/api/v1</c>). Create with
/// <c>RestService.For&lt;IRatatouilleApi&gt;(httpClient)</c>. Errors arrive as
/// <see cref="ApiException"/> whose content is an RFC 7807 problem document.
/// </summary>
public interface IRatatouilleApi
{
    /// <summary>All datasets, by layer and name.</summary>
    [Get("/api/v1/datasets")]
    Task<IReadOnlyList<DatasetSummary>> ListDatasetsAsync(CancellationToken cancellationToken = default);

    /// <summary>One dataset with its schema.</summary>
    [Get("/api/v1/datasets/{layer}/{name}")]
    Task<DatasetDetail> GetDatasetAsync(string layer, string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes a dataset, its history and its files.</summary>
    [Delete("/api/v1/datasets/{layer}/{name}")]
    Task DeleteDatasetAsync(string layer, string name, CancellationToken cancellationToken = default);

    /// <summary>Uploads a CSV/TSV/JSON/Parquet file into a dataset.</summary>
    [Multipart]
    [Post("/api/v1/datasets/{layer}/{name}/upload")]
    Task<UploadResult> UploadAsync(string layer, string name, [AliasAs("file")] StreamPart file, [Query] UploadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The dataset's snapshots, newest first.</summary>
    [Get("/api/v1/datasets/{layer}/{name}/snapshots")]
    Task<IReadOnlyList<SnapshotDto>> ListSnapshotsAsync(string layer, string name, CancellationToken cancellationToken = default);

    /// <summary>Makes an earlier snapshot current again.</summary>
    [Post("/api/v1/datasets/{layer}/{name}/rollback")]
    Task<SnapshotDto> RollbackAsync(string layer, string name, [Body] RollbackRequest request, CancellationToken cancellationToken = default);

    /// <summary>A page of rows (the data API).</summary>
    [Get("/api/v1/datasets/{layer}/{name}/rows")]
    Task<QueryResultDto> GetRowsAsync(string layer, string name, [Query] RowsOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a read-only SQL statement and returns JSON rows.</summary>
    [Post("/api/v1/query")]
    Task<QueryResultDto> QueryAsync([Body] QueryRequestDto request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a statement and streams the whole result in the format <paramref name="accept"/> names:
    /// <c>text/csv</c>, <c>application/vnd.apache.parquet</c> or <c>application/vnd.apache.arrow.stream</c>.
    /// </summary>
    [Post("/api/v1/query")]
    Task<HttpResponseMessage> ExportAsync([Body] QueryRequestDto request, [Header("Accept")] string accept, CancellationToken cancellationToken = default);

    /// <summary>Expires old snapshots and deletes files nothing references.</summary>
    [Post("/api/v1/maintenance/vacuum")]
    Task<VacuumResultDto> VacuumAsync([Body] VacuumRequest request, CancellationToken cancellationToken = default);
}
