using Microsoft.Extensions.Logging.Abstractions;
using Ratatouille.Testing;

namespace Ratatouille.Storage.Tests;

/// <summary>Starts one real S3 server (s3rver) for the S3 tests in this assembly.</summary>
public sealed class S3Fixture : IAsyncLifetime
{
    public S3Server Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await S3Server.StartAsync("contract");

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public S3ObjectStore NewStore(string bucket) => new(
        new S3Options { Endpoint = Server.Endpoint.ToString(), Bucket = bucket, AccessKey = S3Server.Key, SecretKey = S3Server.Key },
        RepositoryPaths.NewTempFolder("s3-temp"));
}

public sealed class S3ObjectStoreTests : ObjectStoreContract, IClassFixture<S3Fixture>, IAsyncLifetime
{
    private readonly S3ObjectStore _store;

    public S3ObjectStoreTests(S3Fixture fixture) => _store = fixture.NewStore("t" + Guid.NewGuid().ToString("N")[..12]);

    protected override IObjectStore Store => _store;

    public Task InitializeAsync() => _store.EnsureBucketAsync(TestTimeout.Token);

    public Task DisposeAsync()
    {
        _store.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void TryGetLocalPath_IsNull_SoReadsGoThroughTheCache()
    {
        Assert.Null(_store.TryGetLocalPath("warehouse/bronze/x/a.parquet"));
    }

    [Fact]
    public async Task LocalFiles_AcquireAsync_DownloadsOnce_AndEvictsLeastRecentlyUsedUnpinned()
    {
        var cache = RepositoryPaths.NewTempFolder("cache");
        var files = new LocalFiles(_store, cache, capacityBytes: 2500, NullLogger<LocalFiles>.Instance);
        foreach (var name in new[] { "a", "b", "c" })
        {
            await _store.PutAsync($"warehouse/bronze/d/{name}.parquet", new MemoryStream(new byte[1000]), TestTimeout.Token);
        }

        using (var lease = await files.AcquireAsync(["warehouse/bronze/d/a.parquet", "warehouse/bronze/d/b.parquet"], TestTimeout.Token))
        {
            Assert.True(File.Exists(files.PathFor("warehouse/bronze/d/a.parquet")));
            Assert.Equal(2000, files.CachedBytes);
        }

        // a and b are unpinned now; c pushes the cache over 2500 bytes, so the least recently used goes.
        using (var lease = await files.AcquireAsync(["warehouse/bronze/d/c.parquet"], TestTimeout.Token))
        {
            Assert.True(File.Exists(files.PathFor("warehouse/bronze/d/c.parquet")));
            Assert.True(files.CachedBytes <= 2500);
            Assert.Equal(2, new[] { "a", "b", "c" }.Count(n => File.Exists(files.PathFor($"warehouse/bronze/d/{n}.parquet"))));
        }

        Assert.Equal([Path.Combine(cache, "warehouse") + Path.DirectorySeparatorChar], files.ReadableRoots);
    }

    [Fact]
    public async Task LocalFiles_PinnedFiles_AreNotEvicted()
    {
        var files = new LocalFiles(_store, RepositoryPaths.NewTempFolder("cache"), capacityBytes: 1500, NullLogger<LocalFiles>.Instance);
        await _store.PutAsync("warehouse/bronze/p/a.parquet", new MemoryStream(new byte[1000]), TestTimeout.Token);
        await _store.PutAsync("warehouse/bronze/p/b.parquet", new MemoryStream(new byte[1000]), TestTimeout.Token);

        using var both = await files.AcquireAsync(["warehouse/bronze/p/a.parquet", "warehouse/bronze/p/b.parquet"], TestTimeout.Token);

        Assert.True(File.Exists(files.PathFor("warehouse/bronze/p/a.parquet")));
        Assert.True(File.Exists(files.PathFor("warehouse/bronze/p/b.parquet")));
    }

    [Fact]
    public async Task LocalFiles_MissingObject_FailsClearly()
    {
        var files = new LocalFiles(_store, RepositoryPaths.NewTempFolder("cache"), 10_000, NullLogger<LocalFiles>.Instance);
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => files.AcquireAsync(["warehouse/bronze/none/x.parquet"], TestTimeout.Token));
    }
}
