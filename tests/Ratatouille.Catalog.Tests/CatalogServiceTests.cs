using Ratatouille.Catalog.Model;
using Ratatouille.Testing;

namespace Ratatouille.Catalog.Tests;

public sealed class CatalogServiceTests
{
    private static readonly DatasetName Orders = DatasetName.Parse("bronze.orders");
    private static readonly ColumnSchema[] Schema = [new("id", "BIGINT"), new("amount", "DOUBLE")];

    [Fact]
    public async Task CommitAsync_AppendThenReplace_TracksFilesRowsAndHistory()
    {
        await using var h = await CatalogHarness.StartAsync();
        var f1 = await h.PutFileAsync("bronze.orders", 10);
        var f2 = await h.PutFileAsync("bronze.orders", 5);
        var f3 = await h.PutFileAsync("bronze.orders", 7);

        var s1 = await h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [f1], Schema, "test"), TestTimeout.Token);
        var s2 = await h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [f2], Schema, "test"), TestTimeout.Token);
        var s3 = await h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Replace, [f3], Schema, "test"), TestTimeout.Token);

        Assert.Equal(("create", 10L), (s1.Operation, s1.RowCount));
        Assert.Equal(("append", 15L, 2), (s2.Operation, s2.RowCount, s2.FileCount));
        Assert.Equal(("replace", 7L, 1), (s3.Operation, s3.RowCount, s3.FileCount));
        Assert.Equal([f1.Key, f2.Key], (await h.Catalog.GetSnapshotFilesAsync(Orders, s2.Id, TestTimeout.Token)).Files.Select(f => f.Key).ToArray());
        Assert.Equal([f3.Key], (await h.Catalog.GetSnapshotFilesAsync(Orders, null, TestTimeout.Token)).Files.Select(f => f.Key).ToArray());
        Assert.Equal([s3.Id, s2.Id, s1.Id], (await h.Catalog.ListSnapshotsAsync(Orders, TestTimeout.Token)).Select(s => s.Id).ToArray());
    }

    [Fact]
    public async Task CommitAsync_IncompatibleAppend_CommitsNothing()
    {
        await using var h = await CatalogHarness.StartAsync();
        var s1 = await h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [await h.PutFileAsync("bronze.orders", 3)], Schema, "t"), TestTimeout.Token);

        var ex = await Assert.ThrowsAsync<CatalogException>(async () => await h.Catalog.CommitAsync(
            new CommitRequest(Orders, WriteMode.Append, [await h.PutFileAsync("bronze.orders", 3)], [new("id", "VARCHAR")], "t"), TestTimeout.Token));

        Assert.Equal(CatalogError.SchemaConflict, ex.Error);
        var current = await h.Catalog.GetDatasetAsync(Orders, TestTimeout.Token);
        Assert.Equal(s1.Id, current.Current!.Id);
        Assert.Equal(3, current.Current.RowCount);
        Assert.Single(await h.Catalog.ListSnapshotsAsync(Orders, TestTimeout.Token));
    }

    [Fact]
    public async Task RollbackAsync_RestoresFilesAndSchema_AsNewSnapshot()
    {
        await using var h = await CatalogHarness.StartAsync();
        var f1 = await h.PutFileAsync("bronze.orders", 10);
        var s1 = await h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [f1], Schema, "t"), TestTimeout.Token);
        await h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [await h.PutFileAsync("bronze.orders", 4)], [.. Schema, new("note", "VARCHAR")], "t"), TestTimeout.Token);

        var rolled = await h.Catalog.RollbackAsync(Orders, s1.Id, TestTimeout.Token);

        Assert.Equal("rollback", rolled.Operation);
        Assert.True(rolled.Id > s1.Id);
        Assert.Equal(10, rolled.RowCount);
        Assert.Equal(["id", "amount"], rolled.Schema.Select(c => c.Name).ToArray());
        Assert.Equal([f1.Key], (await h.Catalog.GetSnapshotFilesAsync(Orders, null, TestTimeout.Token)).Files.Select(f => f.Key).ToArray());
    }

    [Fact]
    public async Task GetContentLineageAsync_FollowsAppendsAndRollbacks_AndStopsAtAReplace()
    {
        await using var h = await CatalogHarness.StartAsync();
        async Task<SnapshotInfo> Commit(WriteMode mode, long rows) =>
            await h.Catalog.CommitAsync(new CommitRequest(Orders, mode, [await h.PutFileAsync("bronze.orders", rows)], Schema, "t"), TestTimeout.Token);
        var missing = await Assert.ThrowsAsync<CatalogException>(() => h.Catalog.GetContentLineageAsync(Orders, TestTimeout.Token));
        Assert.Equal(CatalogError.NotFound, missing.Error);

        var s1 = await Commit(WriteMode.Append, 1);
        var s2 = await Commit(WriteMode.Append, 2);
        var s3 = await Commit(WriteMode.Append, 3);
        var r = await h.Catalog.RollbackAsync(Orders, s2.Id, TestTimeout.Token);
        var s5 = await Commit(WriteMode.Append, 5);
        Assert.Equal([s5.Id, r.Id, s2.Id, s1.Id], (await h.Catalog.GetContentLineageAsync(Orders, TestTimeout.Token)).ToArray());
        Assert.DoesNotContain(s3.Id, await h.Catalog.GetContentLineageAsync(Orders, TestTimeout.Token));

        var s6 = await Commit(WriteMode.Replace, 6);
        var s7 = await Commit(WriteMode.Append, 7);
        Assert.Equal([s7.Id, s6.Id], (await h.Catalog.GetContentLineageAsync(Orders, TestTimeout.Token)).ToArray());

        // Expired snapshots keep their metadata, so vacuum never cuts the chain.
        await h.Catalog.RollbackAsync(Orders, s5.Id, TestTimeout.Token);
        await h.Catalog.VacuumAsync(TimeSpan.Zero, TimeSpan.FromDays(1), TestTimeout.Token);
        Assert.Equal(5, (await h.Catalog.GetContentLineageAsync(Orders, TestTimeout.Token)).Count);
    }

    [Fact]
    public async Task RollbackAsync_UnknownSnapshot_IsNotFound()
    {
        await using var h = await CatalogHarness.StartAsync();
        await h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [await h.PutFileAsync("bronze.orders", 1)], Schema, "t"), TestTimeout.Token);

        var ex = await Assert.ThrowsAsync<CatalogException>(() => h.Catalog.RollbackAsync(Orders, 999, TestTimeout.Token));

        Assert.Equal(CatalogError.SnapshotNotFound, ex.Error);
    }

    [Fact]
    public async Task CommitAsync_ConcurrentAppendsInOneProcess_AreSerialisedAndAllKept()
    {
        await using var h = await CatalogHarness.StartAsync();
        var files = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => h.PutFileAsync("bronze.orders", 10)));

        await Task.WhenAll(files.Select(f => h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [f], Schema, "t"), TestTimeout.Token)));

        var current = await h.Catalog.GetDatasetAsync(Orders, TestTimeout.Token);
        Assert.Equal(80, current.Current!.RowCount);
        Assert.Equal(8, current.Current.FileCount);
    }

    [Fact]
    public async Task CommitAsync_TwoProcessesFromTheSameBase_OnlyOneWins()
    {
        // Two catalog instances over one metadata file stand for two server processes.
        await using var a = await CatalogHarness.StartAsync();
        await using var b = await CatalogHarness.StartAsync(a.Root);
        var s1 = await a.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [await a.PutFileAsync("bronze.orders", 1)], Schema, "t"), TestTimeout.Token);

        await a.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [await a.PutFileAsync("bronze.orders", 1)], Schema, "a") { ExpectedSnapshotId = s1.Id }, TestTimeout.Token);
        var ex = await Assert.ThrowsAsync<CatalogException>(async () => await b.Catalog.CommitAsync(
            new CommitRequest(Orders, WriteMode.Replace, [await b.PutFileAsync("bronze.orders", 1)], Schema, "b") { ExpectedSnapshotId = s1.Id }, TestTimeout.Token));

        Assert.Equal(CatalogError.Conflict, ex.Error);
        Assert.Equal(2, (await b.Catalog.GetDatasetAsync(Orders, TestTimeout.Token)).Current!.RowCount);
    }

    [Fact]
    public async Task VacuumAsync_ExpiresOldSnapshots_DeletesTheirFilesAndOrphans_KeepsCurrent()
    {
        await using var h = await CatalogHarness.StartAsync();
        var old = await h.PutFileAsync("bronze.orders", 1);
        var s1 = await h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [old], Schema, "t"), TestTimeout.Token);
        var kept = await h.PutFileAsync("bronze.orders", 2);
        await h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Replace, [kept], Schema, "t"), TestTimeout.Token);
        var orphan = await h.PutFileAsync("bronze.orders", 0); // a write that crashed before its commit

        var result = await h.Catalog.VacuumAsync(TimeSpan.Zero, TimeSpan.Zero, TestTimeout.Token);

        Assert.Equal(1, result.ExpiredSnapshots);
        Assert.Equal(1, result.DeletedFiles);
        Assert.Equal(1, result.OrphansDeleted);
        Assert.Null(await h.Store.StatAsync(old.Key, TestTimeout.Token));
        Assert.Null(await h.Store.StatAsync(orphan.Key, TestTimeout.Token));
        Assert.NotNull(await h.Store.StatAsync(kept.Key, TestTimeout.Token));
        var ex = await Assert.ThrowsAsync<CatalogException>(() => h.Catalog.GetSnapshotFilesAsync(Orders, s1.Id, TestTimeout.Token));
        Assert.Equal(CatalogError.SnapshotExpired, ex.Error);
        Assert.Equal(2, (await h.Catalog.GetDatasetAsync(Orders, TestTimeout.Token)).Current!.RowCount);
    }

    [Fact]
    public async Task VacuumAsync_WithinRetentionAndGrace_RemovesNothing()
    {
        await using var h = await CatalogHarness.StartAsync();
        var first = await h.PutFileAsync("bronze.orders", 1);
        await h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [first], Schema, "t"), TestTimeout.Token);
        await h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Replace, [await h.PutFileAsync("bronze.orders", 1)], Schema, "t"), TestTimeout.Token);
        var inFlight = await h.PutFileAsync("bronze.orders", 0);

        var result = await h.Catalog.VacuumAsync(null, null, TestTimeout.Token);

        Assert.Equal(new VacuumResult(0, 0, 0, 0), result);
        Assert.NotNull(await h.Store.StatAsync(first.Key, TestTimeout.Token));
        Assert.NotNull(await h.Store.StatAsync(inFlight.Key, TestTimeout.Token));
    }

    [Fact]
    public async Task CommitAsync_FileRemovedBeforeCommit_FailsAndCommitsNothing()
    {
        await using var h = await CatalogHarness.StartAsync();
        var file = await h.PutFileAsync("bronze.orders", 1);
        await h.Store.DeleteAsync(file.Key, TestTimeout.Token);

        var ex = await Assert.ThrowsAsync<CatalogException>(() => h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [file], Schema, "t"), TestTimeout.Token));

        Assert.Equal(CatalogError.Conflict, ex.Error);
        Assert.Contains("disappeared", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await h.Catalog.ListDatasetsAsync(TestTimeout.Token));
    }

    [Fact]
    public async Task DeleteAsync_RemovesDatasetAndFiles()
    {
        await using var h = await CatalogHarness.StartAsync();
        var file = await h.PutFileAsync("bronze.orders", 1);
        await h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [file], Schema, "t"), TestTimeout.Token);

        await h.Catalog.DeleteAsync(Orders, TestTimeout.Token);

        Assert.Empty(await h.Catalog.ListDatasetsAsync(TestTimeout.Token));
        Assert.Null(await h.Store.StatAsync(file.Key, TestTimeout.Token));
        var ex = await Assert.ThrowsAsync<CatalogException>(() => h.Catalog.GetDatasetAsync(Orders, TestTimeout.Token));
        Assert.Equal(CatalogError.NotFound, ex.Error);
    }

    [Fact]
    public async Task CommitAsync_CreateOnlyOnExistingDataset_IsConflict()
    {
        await using var h = await CatalogHarness.StartAsync();
        await h.Catalog.CommitAsync(new CommitRequest(Orders, WriteMode.Append, [await h.PutFileAsync("bronze.orders", 1)], Schema, "t"), TestTimeout.Token);

        var ex = await Assert.ThrowsAsync<CatalogException>(async () => await h.Catalog.CommitAsync(
            new CommitRequest(Orders, WriteMode.Replace, [await h.PutFileAsync("bronze.orders", 1)], Schema, "t") { CreateOnly = true }, TestTimeout.Token));

        Assert.Equal(CatalogError.AlreadyExists, ex.Error);
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
    }
}
