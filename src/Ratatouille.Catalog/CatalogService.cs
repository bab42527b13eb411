using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratatouille.Catalog.Model;
using Ratatouille.Catalog.Storage;
using Ratatouille.Storage;

namespace Ratatouille.Catalog;

/// <summary>
/// The catalog: datasets as sequences of immutable snapshots over immutable Parquet files.
/// A write stores its files first and then commits one metadata transaction that adds a
/// snapshot, so readers see the old snapshot or the new one and never half a write; a crash
/// before the commit leaves only unreferenced files, which <see cref="VacuumAsync"/> removes.
/// Commits to one dataset are serialised in this process and guarded across processes by an
/// optimistic-concurrency token.
/// </summary>
public sealed class CatalogService(
    IDbContextFactory<MetadataDbContext> dbFactory,
    IObjectStore store,
    TimeProvider clock,
    IOptions<CatalogOptions> options,
    ILogger<CatalogService> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _writeLocks = new(StringComparer.Ordinal);

    /// <summary>Raised after every successful commit, rollback or delete.</summary>
    public event Action<CatalogChange>? Changed;

    public async Task<IReadOnlyList<DatasetInfo>> ListDatasetsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from d in db.Datasets.AsNoTracking()
            join s in db.Snapshots.AsNoTracking() on d.CurrentSnapshotId equals s.Id into current
            from s in current.DefaultIfEmpty()
            orderby d.Layer, d.Name
            select new { d, s }).ToListAsync(cancellationToken);
        return rows.Select(r => ToInfo(r.d, r.s)).ToList();
    }

    public async Task<DatasetInfo> GetDatasetAsync(DatasetName name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await FindAsync(db, name, cancellationToken);
        var current = dataset.CurrentSnapshotId is { } id ? await db.Snapshots.AsNoTracking().SingleAsync(s => s.Id == id, cancellationToken) : null;
        return ToInfo(dataset, current);
    }

    public async Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(DatasetName name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await FindAsync(db, name, cancellationToken);
        var rows = await db.Snapshots.AsNoTracking().Where(s => s.DatasetId == dataset.Id).OrderByDescending(s => s.Id).ToListAsync(cancellationToken);
        return rows.Select(ToInfo).ToList();
    }

    /// <summary>A snapshot (the current one when <paramref name="snapshotId"/> is null) and the files it is made of.</summary>
    public async Task<(SnapshotInfo Snapshot, IReadOnlyList<DataFileInfo> Files)> GetSnapshotFilesAsync(
        DatasetName name, long? snapshotId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await FindAsync(db, name, cancellationToken);
        var id = snapshotId ?? dataset.CurrentSnapshotId
            ?? throw new CatalogException(CatalogError.SnapshotNotFound, $"Dataset {name} has no snapshot yet.");
        var snapshot = await db.Snapshots.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.DatasetId == dataset.Id, cancellationToken)
            ?? throw new CatalogException(CatalogError.SnapshotNotFound, $"Snapshot {id} does not exist for dataset {name}.");
        if (snapshot.Expired)
        {
            throw new CatalogException(CatalogError.SnapshotExpired, $"Snapshot {id} of {name} has expired and its files were vacuumed.");
        }

        var files = await FilesAt(db, dataset.Id, id).ToListAsync(cancellationToken);
        return (ToInfo(snapshot), files.Select(f => new DataFileInfo(f.Key, f.RowCount, f.Bytes)).ToList());
    }

    /// <summary>
    /// The ids of the snapshots whose rows make up the dataset's current contents, newest first: from the
    /// current snapshot, an append leads to its parent, a rollback to the snapshot it restored, and a
    /// create or replace ends the chain (nothing before it is in the data). Expired snapshots are included
    /// (their metadata is kept); empty when the dataset has no snapshot yet.
    /// </summary>
    public async Task<IReadOnlyList<long>> GetContentLineageAsync(DatasetName name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await FindAsync(db, name, cancellationToken);
        // Only the links: a dataset written every few minutes has many snapshots, and their schemas are not needed here.
        var links = await db.Snapshots.AsNoTracking().Where(s => s.DatasetId == dataset.Id)
            .Select(s => new { s.Id, s.ParentId, s.Operation, s.RestoredFromId })
            .ToDictionaryAsync(s => s.Id, cancellationToken);
        var lineage = new List<long>();
        for (var id = dataset.CurrentSnapshotId; id is { } current && !lineage.Contains(current) && links.TryGetValue(current, out var link);)
        {
            lineage.Add(current);
            id = link.Operation switch
            {
                "append" => link.ParentId,
                "rollback" => link.RestoredFromId,
                _ => null,
            };
        }

        return lineage;
    }

    /// <summary>Every dataset's current snapshot with its files, in one read (the query engine's view of the catalog).</summary>
    public async Task<IReadOnlyList<(DatasetName Name, SnapshotInfo Snapshot, IReadOnlyList<DataFileInfo> Files)>> GetCurrentStateAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var datasets = await (
            from d in db.Datasets.AsNoTracking()
            join s in db.Snapshots.AsNoTracking() on d.CurrentSnapshotId equals s.Id
            select new { d, s }).ToListAsync(cancellationToken);
        var files = await db.DataFiles.AsNoTracking().Where(f => f.EndSnapshotId == null).OrderBy(f => f.Id).ToListAsync(cancellationToken);
        var byDataset = files.ToLookup(f => f.DatasetId);
        return datasets
            .Select(x => (DatasetName.Create(x.d.Layer, x.d.Name), ToInfo(x.s),
                (IReadOnlyList<DataFileInfo>)byDataset[x.d.Id].Select(f => new DataFileInfo(f.Key, f.RowCount, f.Bytes)).ToList()))
            .ToList();
    }

    /// <summary>Commits files already in the object store as a new snapshot.</summary>
    public async Task<SnapshotInfo> CommitAsync(CommitRequest request, CancellationToken cancellationToken)
    {
        if (request.Schema.Count == 0)
        {
            throw new CatalogException(CatalogError.InvalidRequest, "The data has no columns.");
        }

        var gate = _writeLocks.GetOrAdd(request.Dataset.ToString(), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var snapshot = await CommitLockedAsync(request, cancellationToken);
            Changed?.Invoke(new CatalogChange(request.Dataset, snapshot.Id));
            return snapshot;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Makes an older snapshot current again, as a new snapshot (history is never rewritten).</summary>
    public async Task<SnapshotInfo> RollbackAsync(DatasetName name, long snapshotId, CancellationToken cancellationToken)
    {
        var gate = _writeLocks.GetOrAdd(name.ToString(), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var dataset = await FindAsync(db, name, cancellationToken, tracked: true);
            var target = await db.Snapshots.AsNoTracking().SingleOrDefaultAsync(s => s.Id == snapshotId && s.DatasetId == dataset.Id, cancellationToken)
                ?? throw new CatalogException(CatalogError.SnapshotNotFound, $"Snapshot {snapshotId} does not exist for dataset {name}.");
            if (target.Expired)
            {
                throw new CatalogException(CatalogError.SnapshotExpired, $"Snapshot {snapshotId} of {name} has expired; it can no longer be restored.");
            }

            var files = await FilesAt(db, dataset.Id, snapshotId).ToListAsync(cancellationToken);
            var snapshot = new SnapshotRow
            {
                DatasetId = dataset.Id,
                ParentId = dataset.CurrentSnapshotId,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
                Operation = "rollback",
                Origin = $"rollback to snapshot {snapshotId}",
                RestoredFromId = snapshotId,
                SchemaJson = target.SchemaJson,
                RowCount = target.RowCount,
                Bytes = target.Bytes,
                FileCount = target.FileCount,
            };
            db.Snapshots.Add(snapshot);
            await db.SaveChangesAsync(cancellationToken);
            await db.DataFiles.Where(f => f.DatasetId == dataset.Id && f.EndSnapshotId == null)
                .ExecuteUpdateAsync(u => u.SetProperty(f => f.EndSnapshotId, snapshot.Id), cancellationToken);
            db.DataFiles.AddRange(files.Select(f => new DataFileRow
            {
                DatasetId = dataset.Id, Key = f.Key, RowCount = f.RowCount, Bytes = f.Bytes, BeginSnapshotId = snapshot.Id,
            }));
            await AdvanceAsync(db, dataset, snapshot.Id, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            logger.LogInformation("Rolled back {Dataset} to snapshot {Target} as snapshot {Snapshot}", name, snapshotId, snapshot.Id);
            Changed?.Invoke(new CatalogChange(name, snapshot.Id));
            return ToInfo(snapshot);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Removes a dataset and its history; its files are deleted once the metadata commit succeeded.</summary>
    public async Task DeleteAsync(DatasetName name, CancellationToken cancellationToken)
    {
        var gate = _writeLocks.GetOrAdd(name.ToString(), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        List<string> keys;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var dataset = await FindAsync(db, name, cancellationToken, tracked: true);
            keys = await db.DataFiles.Where(f => f.DatasetId == dataset.Id).Select(f => f.Key).Distinct().ToListAsync(cancellationToken);
            await db.DataFiles.Where(f => f.DatasetId == dataset.Id).ExecuteDeleteAsync(cancellationToken);
            await db.Snapshots.Where(s => s.DatasetId == dataset.Id).ExecuteDeleteAsync(cancellationToken);
            db.Datasets.Remove(dataset);
            await SaveAsync(db, name, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }

        Changed?.Invoke(new CatalogChange(name, null));
        await DeleteObjectsAsync(keys, CancellationToken.None);
        logger.LogInformation("Deleted dataset {Dataset} ({Files} files)", name, keys.Count);
    }

    /// <summary>
    /// Expires snapshots older than the retention (the current one is always kept), deletes the
    /// files only expired snapshots used, and deletes orphaned files in the warehouse (left by a
    /// crash between storing a file and committing it) once older than the grace period.
    /// </summary>
    public async Task<VacuumResult> VacuumAsync(TimeSpan? retention, TimeSpan? orphanGrace, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var expireBefore = now - (retention ?? options.Value.SnapshotRetention);
        var orphanBefore = now - (orphanGrace ?? options.Value.OrphanGracePeriod);
        var expired = 0;
        var deadKeys = new List<string>();
        var changed = new List<CatalogChange>();

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            foreach (var dataset in await db.Datasets.AsNoTracking().ToListAsync(cancellationToken))
            {
                var gate = _writeLocks.GetOrAdd($"{dataset.Layer}.{dataset.Name}", _ => new SemaphoreSlim(1, 1));
                await gate.WaitAsync(cancellationToken);
                try
                {
                    await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
                    var expiredHere = await db.Snapshots
                        .Where(s => s.DatasetId == dataset.Id && !s.Expired && s.Id != dataset.CurrentSnapshotId && s.CreatedAt < expireBefore)
                        .ExecuteUpdateAsync(u => u.SetProperty(s => s.Expired, true), cancellationToken);
                    expired += expiredHere;
                    if (expiredHere > 0)
                    {
                        changed.Add(new CatalogChange(DatasetName.Create(dataset.Layer, dataset.Name), dataset.CurrentSnapshotId));
                    }
                    var oldestKept = await db.Snapshots.Where(s => s.DatasetId == dataset.Id && !s.Expired).MinAsync(s => (long?)s.Id, cancellationToken) ?? long.MaxValue;
                    var dead = db.DataFiles.Where(f => f.DatasetId == dataset.Id && f.EndSnapshotId != null && f.EndSnapshotId <= oldestKept);
                    deadKeys.AddRange(await dead.Select(f => f.Key).ToListAsync(cancellationToken));
                    await dead.ExecuteDeleteAsync(cancellationToken);
                    await tx.CommitAsync(cancellationToken);
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        foreach (var change in changed)
        {
            Changed?.Invoke(change);
        }

        HashSet<string> referenced;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            referenced = (await db.DataFiles.AsNoTracking().Select(f => f.Key).Distinct().ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        }

        var toDelete = deadKeys.Distinct(StringComparer.Ordinal).Where(k => !referenced.Contains(k)).ToList();
        long bytes = 0;
        foreach (var key in toDelete)
        {
            bytes += (await store.StatAsync(key, cancellationToken))?.Size ?? 0;
        }

        await DeleteObjectsAsync(toDelete, cancellationToken);
        var deletedSet = toDelete.ToHashSet(StringComparer.Ordinal);

        var orphans = 0;
        await foreach (var obj in store.ListAsync(ObjectKeys.Warehouse, cancellationToken))
        {
            if (!referenced.Contains(obj.Key) && !deletedSet.Contains(obj.Key) && obj.LastModified.UtcDateTime < orphanBefore
                && await DeleteOrphanAsync(obj.Key, cancellationToken))
            {
                bytes += obj.Size;
                orphans++;
            }
        }

        logger.LogInformation("Vacuum expired {Snapshots} snapshots, deleted {Files} files and {Orphans} orphans ({Bytes} bytes)", expired, toDelete.Count, orphans, bytes);
        return new VacuumResult(expired, toDelete.Count, bytes, orphans);
    }

    /// <summary>Deletes an unreferenced warehouse file under its dataset's write lock, after checking again that no commit took it.</summary>
    private async Task<bool> DeleteOrphanAsync(string key, CancellationToken cancellationToken)
    {
        var parts = key.Split('/');
        var gate = parts.Length >= 4 ? _writeLocks.GetOrAdd($"{parts[1]}.{parts[2]}", _ => new SemaphoreSlim(1, 1)) : null;
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (await db.DataFiles.AnyAsync(f => f.Key == key, cancellationToken))
            {
                return false;
            }

            await store.DeleteAsync(key, cancellationToken);
            return true;
        }
        finally
        {
            gate?.Release();
        }
    }

    private async Task<SnapshotInfo> CommitLockedAsync(CommitRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var name = request.Dataset;
        var dataset = await db.Datasets.SingleOrDefaultAsync(d => d.Layer == name.LayerName && d.Name == name.Name, cancellationToken);
        if (dataset is null)
        {
            if (request.ExpectedSnapshotId is not null)
            {
                throw new CatalogException(CatalogError.Conflict, $"Dataset {name} does not exist any more.");
            }

            dataset = new DatasetRow { Layer = name.LayerName, Name = name.Name, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Datasets.Add(dataset);
            await SaveAsync(db, name, cancellationToken);
        }
        else if (request.CreateOnly)
        {
            throw new CatalogException(CatalogError.AlreadyExists, $"Dataset {name} already exists; use mode=append or mode=replace to write to it.");
        }
        else if (request.ExpectedSnapshotId is { } expected && dataset.CurrentSnapshotId != expected)
        {
            throw new CatalogException(CatalogError.Conflict, $"Dataset {name} changed: it is at snapshot {dataset.CurrentSnapshotId}, not {expected}.");
        }

        foreach (var file in request.Files)
        {
            // Under the dataset's lock, so vacuum (which deletes orphans under the same lock) cannot remove it after this check.
            if (await store.StatAsync(file.Key, cancellationToken) is null)
            {
                throw new CatalogException(CatalogError.Conflict, $"Data file {file.Key} disappeared before the commit (removed by vacuum as an orphan?); nothing was written, retry the write.");
            }
        }

        var current = dataset.CurrentSnapshotId is { } cid ? await db.Snapshots.AsNoTracking().SingleAsync(s => s.Id == cid, cancellationToken) : null;
        var append = request.Mode == WriteMode.Append && current is not null;
        var schema = append ? SchemaEvolution.MergeForAppend(ReadSchema(current!), request.Schema) : request.Schema;
        var snapshot = new SnapshotRow
        {
            DatasetId = dataset.Id,
            ParentId = current?.Id,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Operation = current is null ? "create" : request.Mode == WriteMode.Append ? "append" : "replace",
            Origin = request.Origin.Length > 1024 ? request.Origin[..1024] : request.Origin,
            SchemaJson = JsonSerializer.Serialize(schema, Json),
            RowCount = (append ? current!.RowCount : 0) + request.Files.Sum(f => f.RowCount),
            Bytes = (append ? current!.Bytes : 0) + request.Files.Sum(f => f.Bytes),
            FileCount = (append ? current!.FileCount : 0) + request.Files.Count,
        };
        db.Snapshots.Add(snapshot);
        await db.SaveChangesAsync(cancellationToken);

        if (!append)
        {
            await db.DataFiles.Where(f => f.DatasetId == dataset.Id && f.EndSnapshotId == null)
                .ExecuteUpdateAsync(u => u.SetProperty(f => f.EndSnapshotId, snapshot.Id), cancellationToken);
        }

        db.DataFiles.AddRange(request.Files.Select(f => new DataFileRow
        {
            DatasetId = dataset.Id, Key = f.Key, RowCount = f.RowCount, Bytes = f.Bytes, BeginSnapshotId = snapshot.Id,
        }));
        await AdvanceAsync(db, dataset, snapshot.Id, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        logger.LogInformation("Committed snapshot {Snapshot} of {Dataset} ({Operation}, {Files} files, {Rows} rows)",
            snapshot.Id, name, snapshot.Operation, request.Files.Count, request.Files.Sum(f => f.RowCount));
        return ToInfo(snapshot);
    }

    private static async Task AdvanceAsync(MetadataDbContext db, DatasetRow dataset, long snapshotId, CancellationToken cancellationToken)
    {
        dataset.CurrentSnapshotId = snapshotId;
        dataset.Version++;
        await SaveAsync(db, DatasetName.Create(dataset.Layer, dataset.Name), cancellationToken);
    }

    private static async Task SaveAsync(MetadataDbContext db, DatasetName name, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // Another process committed to this dataset (or created it) since we read it.
            throw new CatalogException(CatalogError.Conflict, $"Dataset {name} was changed by a concurrent write; retry the operation. ({ex.GetBaseException().Message})");
        }
    }

    private static IQueryable<DataFileRow> FilesAt(MetadataDbContext db, long datasetId, long snapshotId) =>
        db.DataFiles.AsNoTracking()
            .Where(f => f.DatasetId == datasetId && f.BeginSnapshotId <= snapshotId && (f.EndSnapshotId == null || f.EndSnapshotId > snapshotId))
            .OrderBy(f => f.Id);

    private static async Task<DatasetRow> FindAsync(MetadataDbContext db, DatasetName name, CancellationToken cancellationToken, bool tracked = false)
    {
        var query = tracked ? db.Datasets : db.Datasets.AsNoTracking();
        return await query.SingleOrDefaultAsync(d => d.Layer == name.LayerName && d.Name == name.Name, cancellationToken)
            ?? throw new CatalogException(CatalogError.NotFound, $"Dataset {name} does not exist.");
    }

    private async Task DeleteObjectsAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            try
            {
                await store.DeleteAsync(key, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The catalog no longer references the file: vacuum will retry it as an orphan.
                logger.LogWarning(ex, "Could not delete {Key}; vacuum will remove it", key);
            }
        }
    }

    private static List<ColumnSchema> ReadSchema(SnapshotRow row) =>
        JsonSerializer.Deserialize<List<ColumnSchema>>(row.SchemaJson, Json) ?? [];

    private static SnapshotInfo ToInfo(SnapshotRow row) =>
        new(row.Id, row.ParentId, DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc), row.Operation, row.Origin, ReadSchema(row), row.RowCount, row.Bytes, row.FileCount, row.Expired);

    private static DatasetInfo ToInfo(DatasetRow row, SnapshotRow? current) =>
        new(DatasetName.Create(row.Layer, row.Name), DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc), current is null ? null : ToInfo(current));
}
