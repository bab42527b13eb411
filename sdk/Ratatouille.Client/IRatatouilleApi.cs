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

    /// <summary>Signs in and sets the session cookie.</summary>
    [Post("/api/v1/auth/login")]
    Task<MeDto> LoginAsync([Body] LoginRequest request, CancellationToken cancellationToken = default);

    /// <summary>Ends the session.</summary>
    [Post("/api/v1/auth/logout")]
    Task LogoutAsync(CancellationToken cancellationToken = default);

    /// <summary>Who the caller is.</summary>
    [Get("/api/v1/auth/me")]
    Task<MeDto> MeAsync(CancellationToken cancellationToken = default);

    /// <summary>Changes the caller's password.</summary>
    [Post("/api/v1/auth/password")]
    Task ChangePasswordAsync([Body] ChangePasswordRequest request, CancellationToken cancellationToken = default);

    /// <summary>Whether the first administrator still has to be created.</summary>
    [Get("/api/v1/setup")]
    Task<SetupStatusDto> GetSetupStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates the first administrator (only while none exists) and signs in.</summary>
    [Post("/api/v1/setup")]
    Task<MeDto> SetupAsync([Body] LoginRequest request, CancellationToken cancellationToken = default);

    /// <summary>All users (admin).</summary>
    [Get("/api/v1/users")]
    Task<IReadOnlyList<UserDto>> ListUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates a user (admin).</summary>
    [Post("/api/v1/users")]
    Task<UserDto> CreateUserAsync([Body] CreateUserRequest request, CancellationToken cancellationToken = default);

    /// <summary>Changes a user's role, state or password (admin).</summary>
    [Put("/api/v1/users/{username}")]
    Task<UserDto> UpdateUserAsync(string username, [Body] UpdateUserRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a user and revokes their keys (admin).</summary>
    [Delete("/api/v1/users/{username}")]
    Task DeleteUserAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>The caller's API keys (all keys for admins).</summary>
    [Get("/api/v1/api-keys")]
    Task<IReadOnlyList<ApiKeyDto>> ListApiKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates an API key; the answer holds the key, once.</summary>
    [Post("/api/v1/api-keys")]
    Task<CreatedApiKeyDto> CreateApiKeyAsync([Body] CreateApiKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Revokes an API key.</summary>
    [Delete("/api/v1/api-keys/{id}")]
    Task RevokeApiKeyAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Secret names and metadata (admin); values are never returned.</summary>
    [Get("/api/v1/secrets")]
    Task<IReadOnlyList<SecretDto>> ListSecretsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a secret (admin).</summary>
    [Put("/api/v1/secrets/{name}")]
    Task<SecretDto> SetSecretAsync(string name, [Body] SetSecretRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a secret (admin).</summary>
    [Delete("/api/v1/secrets/{name}")]
    Task DeleteSecretAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The audit log, newest first (admin).</summary>
    [Get("/api/v1/audit")]
    Task<IReadOnlyList<AuditEntryDto>> GetAuditAsync([Query] DateTimeOffset? from = null, [Query] DateTimeOffset? to = null, [Query] string? user = null, [Query] string? action = null, [Query] int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>Expires old snapshots and deletes files nothing references.</summary>
    [Post("/api/v1/maintenance/vacuum")]
    Task<VacuumResultDto> VacuumAsync([Body] VacuumRequest request, CancellationToken cancellationToken = default);

    /// <summary>Installed plugin versions with their status (admin).</summary>
    [Get("/api/v1/plugins")]
    Task<IReadOnlyList<PluginDto>> ListPluginsAsync(CancellationToken cancellationToken = default);

    /// <summary>Enables (loads) a plugin version (admin).</summary>
    [Post("/api/v1/plugins/{id}/{version}/enable")]
    Task<PluginDto> EnablePluginAsync(string id, string version, CancellationToken cancellationToken = default);

    /// <summary>Disables (unloads) a plugin version (admin).</summary>
    [Post("/api/v1/plugins/{id}/{version}/disable")]
    Task<PluginDto> DisablePluginAsync(string id, string version, CancellationToken cancellationToken = default);

    /// <summary>Picks up plugin folders added or removed since the last scan (admin).</summary>
    [Post("/api/v1/plugins/rescan")]
    Task<IReadOnlyList<PluginDto>> RescanPluginsAsync(CancellationToken cancellationToken = default);

    /// <summary>Unloads and deletes an installed plugin version (admin).</summary>
    [Delete("/api/v1/plugins/{id}/{version}")]
    Task RemovePluginAsync(string id, string version, CancellationToken cancellationToken = default);

    /// <summary>Connector types available for new connections, with their options schema.</summary>
    [Get("/api/v1/connectors")]
    Task<IReadOnlyList<ConnectorDto>> ListConnectorsAsync(CancellationToken cancellationToken = default);

    /// <summary>All connections.</summary>
    [Get("/api/v1/connections")]
    Task<IReadOnlyList<ConnectionDto>> ListConnectionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates a connection.</summary>
    [Post("/api/v1/connections")]
    Task<ConnectionDto> CreateConnectionAsync([Body] ConnectionRequestDto request, CancellationToken cancellationToken = default);

    /// <summary>One connection (secrets masked).</summary>
    [Get("/api/v1/connections/{name}")]
    Task<ConnectionDto> GetConnectionAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Replaces a connection's connector version and configuration.</summary>
    [Put("/api/v1/connections/{name}")]
    Task<ConnectionDto> UpdateConnectionAsync(string name, [Body] ConnectionRequestDto request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a connection, its stored secrets and stream states.</summary>
    [Delete("/api/v1/connections/{name}")]
    Task DeleteConnectionAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Tests a connection.</summary>
    [Post("/api/v1/connections/{name}/test")]
    Task<ConnectionTestDto> TestConnectionAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The streams a connection offers.</summary>
    [Get("/api/v1/connections/{name}/streams")]
    Task<IReadOnlyList<StreamDto>> ListStreamsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Extracts a stream into a bronze dataset; waits for the end unless <paramref name="wait"/> is false.</summary>
    [Post("/api/v1/connections/{name}/extract")]
    Task<ExtractRunDto> ExtractAsync(string name, [Body] ExtractRequestDto request, [Query] bool? wait = null, CancellationToken cancellationToken = default);

    /// <summary>Recent extract runs of a connection, newest first.</summary>
    [Get("/api/v1/connections/{name}/runs")]
    Task<IReadOnlyList<ExtractRunDto>> ListRunsAsync(string name, [Query] int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>One extract run (poll it for progress).</summary>
    [Get("/api/v1/connections/{name}/runs/{id}")]
    Task<ExtractRunDto> GetRunAsync(string name, string id, CancellationToken cancellationToken = default);

    /// <summary>The log of an extract run: what the platform did and what the connector logged.</summary>
    [Get("/api/v1/connections/{name}/runs/{id}/log")]
    Task<RunLogDto> GetRunLogAsync(string name, string id, CancellationToken cancellationToken = default);

    /// <summary>Cancels a running extract.</summary>
    [Post("/api/v1/connections/{name}/runs/{id}/cancel")]
    Task CancelRunAsync(string name, string id, CancellationToken cancellationToken = default);
}
