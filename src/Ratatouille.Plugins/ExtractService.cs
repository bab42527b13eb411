using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratatouille.Catalog.Model;
using Ratatouille.Plugins.Storage;
using Ratatouille.Query;
using Ratatouille.Sdk;
using Ratatouille.Security;

namespace Ratatouille.Plugins;

/// <summary>What to extract.</summary>
/// <param name="Stream">A stream name from discovery.</param>
/// <param name="Dataset">The bronze dataset to write, <c>bronze.name</c>.</param>
/// <param name="Mode"><c>full</c> (replace) or <c>incremental</c> (append from the saved state).</param>
/// <param name="CursorField">The cursor for incremental reads; the stream's default when null.</param>
public sealed record ExtractRequest(string Stream, string Dataset, string? Mode, string? CursorField);

/// <summary>An extract run, finished or not.</summary>
public sealed record ExtractRun(
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
    DateTime StartedAt,
    DateTime? FinishedAt,
    string StartedBy);

/// <summary>
/// Extracts a connection's stream into a bronze dataset: the connector's batches go through DuckDB
/// into one Parquet file committed as a snapshot (replace for a full refresh, append for an
/// incremental read). The stream's state is stored only after the snapshot commits, so a failed or
/// cancelled run never skips data. One run per connection and stream at a time.
/// </summary>
public sealed class ExtractService(
    IDbContextFactory<PluginsDbContext> dbFactory,
    ConnectionService connections,
    RunningExtracts running,
    Ratatouille.Catalog.CatalogService catalog,
    DatasetWriter writer,
    AuditLog audit,
    IOptions<PluginOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<ExtractService> logger)
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>
    /// Validates the request and starts the run; the returned task completes with the finished run.
    /// The run is cancelled by <paramref name="runCancellation"/>, by <see cref="CancelAsync"/> or at shutdown;
    /// <paramref name="cancellationToken"/> only covers starting it.
    /// </summary>
    public async Task<(ExtractRun Started, Task<ExtractRun> Completion)> StartAsync(string connection, ExtractRequest request, Actor actor, CancellationToken runCancellation, CancellationToken cancellationToken)
    {
        var mode = (request.Mode ?? "full").ToLowerInvariant() switch
        {
            "full" => SyncMode.Full,
            "incremental" => SyncMode.Incremental,
            _ => throw new PluginOperationException(PluginErrorKind.Invalid, $"Unknown mode '{request.Mode}': use full or incremental."),
        };
        var dataset = ParseDataset(request.Dataset);

        if (dataset.Layer != Layer.Bronze)
        {
            throw new PluginOperationException(PluginErrorKind.Invalid, $"Extracts land in the bronze layer: use bronze.{dataset.Name}, then transform it into {dataset.LayerName}.");
        }

        if (string.IsNullOrWhiteSpace(request.Stream))
        {
            throw new PluginOperationException(PluginErrorKind.Invalid, "Name the stream to extract (see GET /api/v1/connections/{name}/streams).");
        }

        var log = new RunLog(clock);
        var session = await connections.OpenAsync(connection, "extract", cancellationToken, log);
        try
        {
            var progress = new Progress(CancellationTokenSource.CreateLinkedTokenSource(runCancellation, lifetime.ApplicationStopping), log);
            var row = new ExtractRunRow
            {
                Id = Guid.NewGuid().ToString("N"),
                ConnectionId = session.ConnectionId,
                Stream = request.Stream,
                Dataset = $"{dataset.LayerName}.{dataset.Name}",
                Mode = mode == SyncMode.Full ? "full" : "incremental",
                Status = Running,
                PluginVersion = session.Lease.Component.PluginVersion,
                StartedAt = clock.GetUtcNow().UtcDateTime,
                StartedBy = actor.Name,
            };
            if (!running.TryStart(row.Id, session.ConnectionId, request.Stream, progress))
            {
                progress.Cancellation.Dispose();
                throw new PluginOperationException(PluginErrorKind.Conflict, $"'{request.Stream}' of '{session.Name}' is being extracted already.");
            }

            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                db.ExtractRuns.Add(row);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch
            {
                running.Finish(row.Id);
                throw;
            }

            log.Info($"{actor.Name} started extracting '{row.Stream}' into {row.Dataset} ({row.Mode}, {session.Lease.Plugin.Id} {row.PluginVersion}).");
            await audit.WriteAsync(actor, "extract.start", $"{session.Name}/{request.Stream}", detail: $"{row.Mode} → {row.Dataset}", cancellationToken: CancellationToken.None);
            var completion = Task.Run(() => RunAsync(session, row, dataset, mode, request.CursorField, progress, actor), CancellationToken.None);
            return (ToRun(row, session.Name, progress), completion);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Cancels a running extract; false when it is not running.</summary>
    public async Task<bool> CancelAsync(string runId)
    {
        if (running.Get<Progress>(runId) is not { } progress)
        {
            return false;
        }

        try
        {
            await progress.Cancellation.CancelAsync();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false; // it just finished
        }
    }

    public async Task<ExtractRun> GetRunAsync(string connection, string runId, CancellationToken cancellationToken)
    {
        var row = await connections.FindAsync(connection, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await WithoutLog(db.ExtractRuns.Where(r => r.Id == runId && r.ConnectionId == row.Id)).SingleOrDefaultAsync(cancellationToken)
            ?? throw new PluginOperationException(PluginErrorKind.NotFound, $"Run '{runId}' of '{connection}' does not exist.");
        return ToRun(run, row.Name, running.Get<Progress>(run.Id));
    }

    /// <summary>The log of a run: complete once it has finished, the lines so far while it runs.</summary>
    public async Task<(IReadOnlyList<RunLogEntry> Entries, bool Running)> GetRunLogAsync(string connection, string runId, CancellationToken cancellationToken)
    {
        var row = await connections.FindAsync(connection, cancellationToken);
        // In memory first: a run that finishes between the two reads is then found stored, never lost in between.
        var live = running.Get<Progress>(runId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.ExtractRuns.AsNoTracking().Where(r => r.Id == runId && r.ConnectionId == row.Id)
            .Select(r => new { r.Status, r.LogJson }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new PluginOperationException(PluginErrorKind.NotFound, $"Run '{runId}' of '{connection}' does not exist.");
        if (run.Status == Running && live is not null)
        {
            return (live.Log.Entries(), true);
        }

        return (RunLog.FromJson(run.LogJson), run.Status == Running);
    }

    public async Task<IReadOnlyList<ExtractRun>> ListRunsAsync(string connection, int limit, CancellationToken cancellationToken)
    {
        var row = await connections.FindAsync(connection, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await WithoutLog(db.ExtractRuns.Where(r => r.ConnectionId == row.Id)
            .OrderByDescending(r => r.StartedAt)).Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
        return runs.Select(r => ToRun(r, row.Name, running.Get<Progress>(r.Id))).ToList();
    }

    /// <summary>
    /// The state an incremental extract of the stream into the dataset resumes from: the position that
    /// goes with the rows the dataset holds now (see <see cref="LoadStateAsync"/>).
    /// </summary>
    public async Task<JsonNode?> GetStateAsync(string connection, string stream, string dataset, CancellationToken cancellationToken)
    {
        var row = await connections.FindAsync(connection, cancellationToken);
        return (await LoadStateAsync(row.Id, stream, ParseDataset(dataset), cancellationToken)).State;
    }

    /// <summary>Marks runs left "running" by a stopped process as failed (at start).</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        // Plain SQL: this runs on every start, and compiling the equivalent LINQ update costs ~0.3 s there.
        await db.Database.ExecuteSqlAsync(
            $"UPDATE extract_runs SET Status = {Failed}, Error = {"The server stopped during the run. If it had committed its snapshot (the dataset's history names this run in the snapshot's origin), the rows and the stream's position are kept; otherwise nothing of it was committed."}, FinishedAt = {now} WHERE Status = {Running}",
            cancellationToken);
    }

    private async Task<ExtractRun> RunAsync(ConnectorSession session, ExtractRunRow row, DatasetName dataset, SyncMode mode, string? cursorField, Progress progress, Actor actor)
    {
        var token = progress.Cancellation.Token;
        try
        {
            await using (session)
            {
                var streams = await session.DiscoverAsync(options.Value.OperationTimeout, logger, token);
                var descriptor = streams.FirstOrDefault(s => s.Name == row.Stream)
                    ?? throw new PluginOperationException(PluginErrorKind.NotFound, $"'{session.Name}' has no stream '{row.Stream}' (it has {string.Join(", ", streams.Select(s => s.Name).Take(20))}).");
                if (!descriptor.SupportedModes.Contains(mode))
                {
                    throw new PluginOperationException(PluginErrorKind.Invalid, $"Stream '{row.Stream}' does not support {row.Mode} extracts.");
                }

                if (mode == SyncMode.Incremental && cursorField is not null && !descriptor.CursorFields.Contains(cursorField))
                {
                    throw new PluginOperationException(PluginErrorKind.Invalid,
                        $"'{cursorField}' cannot be the cursor of '{row.Stream}' (cursor fields: {(descriptor.CursorFields.Count == 0 ? "none" : string.Join(", ", descriptor.CursorFields))}).");
                }

                if (mode == SyncMode.Full && cursorField is not null && !descriptor.CursorFields.Contains(cursorField))
                {
                    cursorField = null;
                }

                // A full refresh of a stream that can be read incrementally is an incremental read from the start
                // written with replace: the connector then saves its position, and the next incremental run
                // continues after the rows this one loaded instead of loading them all again.
                var readMode = mode == SyncMode.Full && descriptor.SupportedModes.Contains(SyncMode.Incremental) ? SyncMode.Incremental : mode;
                var (state, basedOn) = mode == SyncMode.Incremental ? await LoadStateAsync(row.ConnectionId, row.Stream, dataset, token, progress.Log) : (null, null);
                progress.Log.Info(mode == SyncMode.Full
                    ? $"Reading '{row.Stream}' from the start ({descriptor.Schema.FieldsList.Count} columns); the result replaces {row.Dataset}."
                    : state is null ? $"Reading '{row.Stream}' from the start: no position applies to what {row.Dataset} holds." : $"Resuming '{row.Stream}' from its position {Shorten(state.ToJsonString())}.");
                var request = new ReadRequest(row.Stream, readMode, state, cursorField ?? descriptor.DefaultCursorField);
                var batches = Count(session.Connector.ReadAsync(session.Options, request, session.Context, token), progress);
                (SnapshotInfo Snapshot, long Rows) written;
                try
                {
                    written = await writer.WriteBatchesAsync(dataset, descriptor.Schema, batches, mode == SyncMode.Full ? WriteMode.Replace : WriteMode.Append,
                        Origin(session.Name, row, session.Lease.Plugin.Id),
                        new BatchWriteOptions
                        {
                            IdleTimeout = options.Value.ReadIdleTimeout,
                            SkipEmptyAppend = true,
                            // Persist the position first, tagged with this run; the commit below makes it current.
                            BeforeCommit = _ => SetPendingStateAsync(row, request.Checkpoint),
                            // Append only onto the contents the position was worked out for (not after a rollback in between).
                            ExpectedSnapshotId = basedOn,
                        },
                        token);
                }
                catch (BatchSourceException ex) when (ex.InnerException is { } inner && inner is not BatchSourceException)
                {
                    throw PluginInvoker.Translate(inner, session.Lease, "reading " + row.Stream, null, logger, token);
                }
                catch (BatchSourceException ex)
                {
                    throw new PluginOperationException(PluginErrorKind.Faulted, $"{PluginInvoker.Describe(session.Lease)}: {ex.Message}", ex);
                }
                catch (ArgumentException ex)
                {
                    throw new PluginOperationException(PluginErrorKind.Faulted, $"{PluginInvoker.Describe(session.Lease)} declared a schema for '{row.Stream}' that cannot be stored: {ex.Message}", ex);
                }
                catch (CatalogException ex) when (ex.Error == CatalogError.SchemaConflict)
                {
                    throw new PluginOperationException(PluginErrorKind.Conflict,
                        $"The stream's columns no longer fit {row.Dataset}: {ex.Message} For an extract, run it with mode=full to replace the dataset and its schema.", ex);
                }
                catch (CatalogException ex) when (ex.Error == CatalogError.Conflict && basedOn is not null)
                {
                    throw new PluginOperationException(PluginErrorKind.Conflict,
                        $"{row.Dataset} changed while the extract ran (rolled back, or written by someone else), so its rows no longer match the position it started from. Nothing was committed; run it again. ({ex.Message})", ex);
                }
                catch (CatalogException ex)
                {
                    throw new PluginOperationException(PluginErrorKind.Invalid, ex.Message, ex);
                }

                progress.Log.Info(written.Rows == 0 && mode == SyncMode.Incremental
                    ? $"Nothing new: {row.Dataset} stays at snapshot {written.Snapshot.Id}."
                    : $"Committed {written.Rows:N0} rows to {row.Dataset} as snapshot {written.Snapshot.Id}.");

                // The snapshot is committed (or there was nothing to add): only now does the stream's position move.
                if (written.Rows == 0 && mode == SyncMode.Incremental && basedOn is not null && written.Snapshot.Id != basedOn)
                {
                    // Nothing was added, but the dataset moved meanwhile: the position belongs to the contents it started from.
                    progress.Log.Info($"{row.Dataset} changed during the run; the position stays where it was.");
                    await DropPendingStateAsync(row);
                }
                else if (request.Checkpoint is { } checkpoint)
                {
                    await SaveStateAsync(row, checkpoint, written.Snapshot.Id);
                }
                else if (mode == SyncMode.Full)
                {
                    await ClearStateAsync(row);
                }
                else
                {
                    await DropPendingStateAsync(row);
                }

                row.Rows = written.Rows;
                row.SnapshotId = written.Snapshot.Id;
                row.Status = Succeeded;
            }
        }
        catch (OperationCanceledException)
        {
            row.Status = Cancelled;
            row.Error = lifetime.ApplicationStopping.IsCancellationRequested ? "The server is stopping; nothing was committed." : "Cancelled; nothing was committed.";
        }
        catch (PluginOperationException ex)
        {
            row.Status = Failed;
            row.Error = ex.Message;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Extract {Run} of {Connection}/{Stream} failed", row.Id, session.Name, row.Stream);
            row.Status = Failed;
            row.Error = $"The extract failed: {ex.Message}";
        }

        row.Rows = row.Status == Succeeded ? row.Rows : Interlocked.Read(ref progress.Rows);
        row.FinishedAt = clock.GetUtcNow().UtcDateTime;
        row.Error = row.Error is null ? null : progress.Log.Redact(row.Error); // a plugin's message may quote a secret
        if (row.Status != Succeeded)
        {
            progress.Log.Add(row.Status == Failed ? LogLevel.Error : LogLevel.Warning, "platform", $"{(row.Status == Failed ? "Failed" : "Cancelled")} after {row.Rows:N0} rows: {row.Error}");
        }

        row.LogJson = progress.Log.ToJson();
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            db.ExtractRuns.Update(row);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        finally
        {
            running.Finish(row.Id);
            progress.Cancellation.Dispose();
        }

        await audit.WriteAsync(actor, "extract.finish", $"{session.Name}/{row.Stream}", success: row.Status == Succeeded,
            detail: row.Status == Succeeded ? $"{row.Rows} rows → {row.Dataset} snapshot {row.SnapshotId}" : row.Error, cancellationToken: CancellationToken.None);
        logger.LogInformation("Extract {Run} {Connection}/{Stream} → {Dataset}: {Status}, {Rows} rows", row.Id, session.Name, row.Stream, row.Dataset, row.Status, row.Rows);
        return ToRun(row, session.Name, null);
    }

    private static async IAsyncEnumerable<RecordBatch> Count(IAsyncEnumerable<RecordBatch> source, Progress progress, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in source.WithCancellation(cancellationToken))
        {
            Interlocked.Add(ref progress.Rows, batch.Length);
            yield return batch;
        }
    }

    /// <summary>
    /// The position an incremental run resumes from: the one committed with the newest of the snapshots
    /// whose rows make up the dataset now (<see cref="Ratatouille.Catalog.CatalogService.GetContentLineageAsync"/>).
    /// Usually that is the stream's stored state. After a rollback it is the position committed with the
    /// snapshot the rollback restored, so the rows the rollback removed are read again instead of skipped;
    /// after the dataset was deleted, or replaced by something other than this stream, no position applies
    /// and the stream is read from the start. <c>BasedOn</c> is the snapshot this was worked out for: the
    /// run's append must land on it.
    /// </summary>
    /// <exception cref="PluginOperationException">The dataset holds rows of this stream whose position is not known (Conflict).</exception>
    private async Task<(JsonNode? State, long? BasedOn)> LoadStateAsync(long connectionId, string stream, DatasetName dataset, CancellationToken cancellationToken, RunLog? log = null)
    {
        long? current;
        try
        {
            current = (await catalog.GetDatasetAsync(dataset, cancellationToken)).Current?.Id;
        }
        catch (CatalogException ex) when (ex.Error == CatalogError.NotFound)
        {
            // The dataset was deleted (or never written): a stored position would skip everything before it.
            return (null, null);
        }

        var key = dataset.ToString();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var state = await db.StreamStates.SingleOrDefaultAsync(s => s.ConnectionId == connectionId && s.Stream == stream && s.Dataset == key, cancellationToken);
        if (state?.PendingRunId is { } pendingRun && running.Get<Progress>(pendingRun) is null)
        {
            // A run stopped between its snapshot commit and storing its state: adopt the state if the
            // snapshot landed (and record it with the run), drop it if not. (A run still going on owns its pending state.)
            var committed = await CommittedSnapshotAsync(dataset, pendingRun, cancellationToken);
            if (committed is { } snapshotId && state.PendingStateJson is { } pending)
            {
                state.StateJson = pending;
                state.SnapshotId = snapshotId;
                await db.ExtractRuns.Where(r => r.Id == pendingRun)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.SnapshotId, snapshotId).SetProperty(r => r.StateJson, pending), cancellationToken);
            }

            state.PendingRunId = null;
            state.PendingStateJson = null;
            state.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
        }

        if (current is null)
        {
            return (null, null);
        }

        if (state is not null && state.SnapshotId == current)
        {
            return (JsonNode.Parse(state.StateJson), current); // the common case: nothing happened to the dataset since the last run
        }

        var lineage = await catalog.GetContentLineageAsync(dataset, cancellationToken);
        if (lineage.Count == 0 || lineage[0] != current)
        {
            throw new PluginOperationException(PluginErrorKind.Conflict, $"{key} changed while the extract started; run it again.");
        }

        var runs = await db.ExtractRuns.AsNoTracking()
            .Where(r => r.ConnectionId == connectionId && r.Stream == stream && r.Dataset == key && r.SnapshotId != null && lineage.Contains(r.SnapshotId.Value))
            .Select(r => new { r.Id, SnapshotId = r.SnapshotId!.Value, r.StateJson, r.StartedAt })
            .ToListAsync(cancellationToken);
        foreach (var snapshot in lineage)
        {
            if (state is not null && state.SnapshotId == snapshot)
            {
                return (JsonNode.Parse(state.StateJson), current);
            }

            var here = runs.Where(r => r.SnapshotId == snapshot).ToList();
            if (here.Where(r => r.StateJson is not null).MaxBy(r => r.StartedAt) is { } run)
            {
                logger.LogInformation("{Dataset} no longer holds the rows behind the stored position of {Stream}; resuming from the position of run {Run} (snapshot {Snapshot})",
                    key, stream, run.Id, snapshot);
                log?.Info($"{key} no longer holds the rows behind the stored position (rolled back?): using the position committed by run {run.Id} with snapshot {snapshot}, whose rows it holds.");
                return (JsonNode.Parse(run.StateJson!), current);
            }

            if (here.Count > 0)
            {
                // Rows of this stream are there, but nobody recorded where they end (a run from before
                // positions were kept per run): reading from the start would load them twice.
                throw new PluginOperationException(PluginErrorKind.Conflict,
                    $"{key} holds rows of '{stream}' from run {here[0].Id} (snapshot {snapshot}) whose position was not recorded, so an incremental run cannot tell where to resume. Run a full extract: it replaces the dataset and records the position.");
            }
        }

        if (state is not null)
        {
            logger.LogInformation("{Dataset} holds none of the rows behind the stored position of {Stream} (rolled back or replaced); reading it from the start", key, stream);
            log?.Info($"{key} holds none of the rows behind the stored position (rolled back, replaced or deleted): the stream is read from the start.");
        }

        return (null, current);
    }

    /// <summary>The snapshot the run <paramref name="runId"/> committed to the dataset, if any.</summary>
    private async Task<long?> CommittedSnapshotAsync(DatasetName dataset, string runId, CancellationToken cancellationToken)
    {
        var marker = RunMarker(runId);
        return (await catalog.ListSnapshotsAsync(dataset, cancellationToken)).FirstOrDefault(s => s.Origin.EndsWith(marker, StringComparison.Ordinal))?.Id;
    }

    /// <summary>Runs as lists and details show them: without their logs and positions, which can be large.</summary>
    private static IQueryable<ExtractRunRow> WithoutLog(IQueryable<ExtractRunRow> runs) => runs.AsNoTracking().Select(r => new ExtractRunRow
    {
        Id = r.Id, ConnectionId = r.ConnectionId, Stream = r.Stream, Dataset = r.Dataset, Mode = r.Mode, Status = r.Status,
        PluginVersion = r.PluginVersion, Rows = r.Rows, SnapshotId = r.SnapshotId, Error = r.Error,
        StartedAt = r.StartedAt, FinishedAt = r.FinishedAt, StartedBy = r.StartedBy,
    });

    private static DatasetName ParseDataset(string? dataset)
    {
        try
        {
            return DatasetName.Parse(dataset ?? "");
        }
        catch (CatalogException ex)
        {
            throw new PluginOperationException(PluginErrorKind.Invalid, ex.Message);
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");

    private static string Origin(string connection, ExtractRunRow run, string pluginId) =>
        $"extract {connection}/{run.Stream} ({run.Mode}, {pluginId} {run.PluginVersion}){RunMarker(run.Id)}";

    private static string RunMarker(string runId) => $" run {runId}";

    private async Task SetPendingStateAsync(ExtractRunRow run, JsonNode? state)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var row = await db.StreamStates.SingleOrDefaultAsync(s => s.ConnectionId == run.ConnectionId && s.Stream == run.Stream && s.Dataset == run.Dataset, CancellationToken.None);
        if (state is null)
        {
            if (row is { PendingRunId: not null })
            {
                row.PendingRunId = null;
                row.PendingStateJson = null;
                await db.SaveChangesAsync(CancellationToken.None);
            }

            return;
        }

        if (row is null)
        {
            row = new StreamStateRow { ConnectionId = run.ConnectionId, Stream = run.Stream, Dataset = run.Dataset, StateJson = "null" };
            db.StreamStates.Add(row);
        }

        row.PendingStateJson = state.ToJsonString();
        row.PendingRunId = run.Id;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task DropPendingStateAsync(ExtractRunRow run)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.StreamStates.Where(s => s.ConnectionId == run.ConnectionId && s.Stream == run.Stream && s.Dataset == run.Dataset && s.PendingRunId == run.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.PendingRunId, (string?)null).SetProperty(r => r.PendingStateJson, (string?)null), CancellationToken.None);
    }

    private async Task SaveStateAsync(ExtractRunRow run, JsonNode state, long snapshotId)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var row = await db.StreamStates.SingleOrDefaultAsync(s => s.ConnectionId == run.ConnectionId && s.Stream == run.Stream && s.Dataset == run.Dataset, CancellationToken.None);
        if (row is null)
        {
            row = new StreamStateRow { ConnectionId = run.ConnectionId, Stream = run.Stream, Dataset = run.Dataset };
            db.StreamStates.Add(row);
        }

        row.StateJson = state.ToJsonString();
        row.SnapshotId = snapshotId;
        row.PendingRunId = null;
        row.PendingStateJson = null;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        // The run keeps the position it committed too: a rollback to its snapshot resumes from there.
        run.StateJson = row.StateJson;
        var tracked = await db.ExtractRuns.FindAsync([run.Id], CancellationToken.None);
        if (tracked is not null)
        {
            tracked.StateJson = row.StateJson;
            tracked.SnapshotId = snapshotId;
        }

        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task ClearStateAsync(ExtractRunRow run)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.StreamStates.Where(s => s.ConnectionId == run.ConnectionId && s.Stream == run.Stream && s.Dataset == run.Dataset).ExecuteDeleteAsync(CancellationToken.None);
    }

    private static ExtractRun ToRun(ExtractRunRow row, string connection, Progress? progress) => new(
        row.Id, connection, row.Stream, row.Dataset, row.Mode, row.Status, row.PluginVersion,
        progress is not null && row.Status == Running ? Interlocked.Read(ref progress.Rows) : row.Rows,
        row.SnapshotId, row.Error, DateTime.SpecifyKind(row.StartedAt, DateTimeKind.Utc),
        row.FinishedAt is { } f ? DateTime.SpecifyKind(f, DateTimeKind.Utc) : null, row.StartedBy);

    private sealed class Progress(CancellationTokenSource cancellation, RunLog log)
    {
        public long Rows;

        public CancellationTokenSource Cancellation { get; } = cancellation;

        public RunLog Log { get; } = log;
    }
}
