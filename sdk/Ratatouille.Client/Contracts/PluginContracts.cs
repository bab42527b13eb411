using System.Text.Json.Nodes;

namespace Ratatouille.Client.Contracts;

/// <summary>A component (connector, transform, quality check, data app) a plugin provides.</summary>
/// <param name="Kind">connector, transform, qualitycheck or dataapp.</param>
public sealed record PluginComponentDto(string Kind, string Id, string DisplayName, string? Description);

/// <summary>One installed plugin version.</summary>
/// <param name="Id">Plugin id.</param>
/// <param name="Version">Semantic version.</param>
/// <param name="Kinds">What it contributes: connector, transform, qualitycheck, dataapp.</param>
/// <param name="Status">active, disabled, incompatible, faulted or superseded.</param>
/// <param name="Reason">Why it is not active (or which version supersedes it).</param>
/// <param name="Source">builtin or installed.</param>
/// <param name="SdkRange">SDK versions the plugin supports.</param>
public sealed record PluginDto(
    string Id,
    string Version,
    IReadOnlyList<string> Kinds,
    string Status,
    string? Reason,
    string Source,
    string DisplayName,
    string? Description,
    string? Category,
    string? Icon,
    string? SdkRange,
    IReadOnlyList<PluginComponentDto> Components);

/// <summary>A connector type available for new connections.</summary>
/// <param name="Id">Connector id, used as <c>connector</c> in connections.</param>
/// <param name="Plugin">The plugin that provides it.</param>
/// <param name="Version">The newest active plugin version.</param>
/// <param name="Versions">Every loaded version (a connection may pin one).</param>
/// <param name="OptionsSchema">JSON schema of the configuration; secret options carry <c>"x-secret": true</c>.</param>
public sealed record ConnectorDto(
    string Id,
    string DisplayName,
    string? Description,
    string? Category,
    string? Icon,
    string Plugin,
    string Version,
    IReadOnlyList<string> Versions,
    JsonObject? OptionsSchema);

/// <summary>Creates or replaces a connection.</summary>
/// <param name="Name">1–64 lowercase letters, digits, '_' or '-', starting with a letter.</param>
/// <param name="Connector">Connector id (see <c>GET /api/v1/connectors</c>).</param>
/// <param name="Version">Plugin version to pin; omitted = always the newest active version.</param>
/// <param name="Config">Options per the connector's schema. Secret options: a value stores it; the mask keeps the stored one; omitted removes it.</param>
public sealed record ConnectionRequestDto(string Name, string Connector, string? Version, JsonObject? Config);

/// <summary>A connection; secret options show as a mask, never their value.</summary>
/// <param name="Version">The pinned plugin version, or null (newest).</param>
/// <param name="ResolvedVersion">The plugin version the connection uses now, or null when none is loaded.</param>
/// <param name="SecretOptions">Options with a stored secret value.</param>
public sealed record ConnectionDto(
    string Name,
    string Connector,
    string? Version,
    string? ResolvedVersion,
    JsonObject Config,
    IReadOnlyList<string> SecretOptions,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy);

/// <summary>The result of testing a connection.</summary>
public sealed record ConnectionTestDto(bool Success, string Message, string PluginVersion, double ElapsedMs);

/// <summary>A column of a stream.</summary>
/// <param name="Type">The type it is stored as (DuckDB names: BIGINT, DECIMAL(18,2), VARCHAR, JSON, UUID, TIMESTAMPTZ, …).</param>
public sealed record StreamColumnDto(string Name, string Type, bool Nullable);

/// <summary>A stream a connection offers.</summary>
/// <param name="SupportedModes">full and/or incremental.</param>
public sealed record StreamDto(
    string Name,
    string? Description,
    IReadOnlyList<StreamColumnDto> Columns,
    IReadOnlyList<string> SupportedModes,
    IReadOnlyList<string> CursorFields,
    string? DefaultCursorField,
    IReadOnlyList<string> PrimaryKey);

/// <summary>Extracts a stream into a bronze dataset.</summary>
/// <param name="Stream">Stream name from discovery.</param>
/// <param name="Dataset">Target, <c>bronze.&lt;name&gt;</c>.</param>
/// <param name="Mode"><c>full</c> (replace, default) or <c>incremental</c> (append what is new since the last committed run).</param>
/// <param name="CursorField">Cursor for incremental reads; the stream's default when omitted.</param>
public sealed record ExtractRequestDto(string Stream, string Dataset, string? Mode = null, string? CursorField = null);

/// <summary>An extract run.</summary>
/// <param name="Status">running, succeeded, failed or cancelled.</param>
/// <param name="Rows">Rows written (so far, while running).</param>
/// <param name="SnapshotId">The committed snapshot, when it succeeded.</param>
/// <param name="Error">Why it failed.</param>
public sealed record ExtractRunDto(
    string Id,
    string Connection,
    string Stream,
    string Dataset,
    string Mode,
    string Status,
    string PluginVersion,
    long Rows,
    long? SnapshotId,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string StartedBy);

/// <summary>One line of a run's log.</summary>
/// <param name="Level">information, warning or error.</param>
/// <param name="Source">platform (the extract) or plugin (the connector's own logging).</param>
/// <param name="Message">The text; the connection's secret values are masked.</param>
public sealed record RunLogEntryDto(DateTimeOffset Time, string Level, string Source, string Message);

/// <summary>A run's log.</summary>
/// <param name="Running">True while the run goes on: the lines so far; false once it has finished: the whole log.</param>
public sealed record RunLogDto(string RunId, bool Running, IReadOnlyList<RunLogEntryDto> Entries);
