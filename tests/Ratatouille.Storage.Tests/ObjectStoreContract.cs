using System.Text;

using Ratatouille.Testing;

namespace Ratatouille.Storage.Tests;

/// <summary>The behaviour every object store must have; each implementation runs this whole suite.</summary>
public abstract class ObjectStoreContract
{
    protected abstract IObjectStore Store { get; }

    private static CancellationToken Ct => TestTimeout.Token;

    [Fact]
    public async Task PutAsync_ThenOpenRead_ReturnsSameBytes()
    {
        var bytes = Encoding.UTF8.GetBytes("id,name\r\n1,\"a, b\"\r\n2,é\r\n");
        await Store.PutAsync("landing/t/one.csv", new MemoryStream(bytes), Ct);

        await using var read = await Store.OpenReadAsync("landing/t/one.csv", Ct);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, Ct);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task PutAsync_NonSeekableLargeStream_StoresEveryByte()
    {
        var bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(bytes);
        await Store.PutAsync("warehouse/bronze/big/x.bin", new NonSeekableStream(bytes), Ct);

        var info = await Store.StatAsync("warehouse/bronze/big/x.bin", Ct);
        Assert.NotNull(info);
        Assert.Equal(bytes.Length, info.Size);
        var target = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        try
        {
            await Store.DownloadToFileAsync("warehouse/bronze/big/x.bin", target, Ct);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(target, Ct));
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public async Task PutAsync_SameKeyTwice_LastWriteWins()
    {
        await Store.PutAsync("landing/t/v.txt", new MemoryStream("one"u8.ToArray()), Ct);
        await Store.PutAsync("landing/t/v.txt", new MemoryStream("two!"u8.ToArray()), Ct);

        await using var read = await Store.OpenReadAsync("landing/t/v.txt", Ct);
        Assert.Equal("two!", await new StreamReader(read).ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task PutFileAsync_UploadsLocalFile()
    {
        var local = Path.GetTempFileName();
        await File.WriteAllTextAsync(local, "parquet-ish", Ct);
        try
        {
            await Store.PutFileAsync("warehouse/silver/s/f.parquet", local, Ct);
            Assert.Equal(11, (await Store.StatAsync("warehouse/silver/s/f.parquet", Ct))!.Size);
        }
        finally
        {
            File.Delete(local);
        }
    }

    [Fact]
    public async Task ListAsync_ReturnsOnlyKeysUnderPrefix_Recursively()
    {
        await Store.PutAsync("warehouse/gold/a/1.parquet", new MemoryStream([1]), Ct);
        await Store.PutAsync("warehouse/gold/a/deep/2.parquet", new MemoryStream([1, 2]), Ct);
        await Store.PutAsync("warehouse/gold/ab/3.parquet", new MemoryStream([1, 2, 3]), Ct);
        await Store.PutAsync("landing/gold/a/4.csv", new MemoryStream([1]), Ct);

        var keys = new List<string>();
        await foreach (var item in Store.ListAsync("warehouse/gold/a/", Ct))
        {
            keys.Add(item.Key);
        }

        Assert.Equal(["warehouse/gold/a/1.parquet", "warehouse/gold/a/deep/2.parquet"], keys.Order().ToArray());

        var sizes = new Dictionary<string, long>();
        await foreach (var item in Store.ListAsync("warehouse/gold/a", Ct))
        {
            sizes[item.Key] = item.Size;
        }

        Assert.Equal(3, sizes.Count);
        Assert.Equal(3, sizes["warehouse/gold/ab/3.parquet"]);
    }

    [Fact]
    public async Task StatAsync_MissingKey_ReturnsNull()
    {
        Assert.Null(await Store.StatAsync("warehouse/none/here.parquet", Ct));
    }

    [Fact]
    public async Task OpenReadAsync_MissingKey_ThrowsObjectNotFound()
    {
        var ex = await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.OpenReadAsync("landing/missing.csv", Ct));
        Assert.Equal("landing/missing.csv", ex.Key);
    }

    [Fact]
    public async Task DeleteAsync_RemovesObject_AndMissingIsNotAnError()
    {
        await Store.PutAsync("landing/t/d.txt", new MemoryStream([1]), Ct);
        await Store.DeleteAsync("landing/t/d.txt", Ct);
        await Store.DeleteAsync("landing/t/d.txt", Ct);

        Assert.Null(await Store.StatAsync("landing/t/d.txt", Ct));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("landing/../../etc/passwd")]
    [InlineData("/abs/key")]
    [InlineData("landing//double")]
    [InlineData("landing\\win")]
    [InlineData("")]
    public async Task PutAsync_UnsafeKey_IsRejected(string key)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutAsync(key, new MemoryStream([1]), Ct));
    }

    [Fact]
    public async Task CheckAsync_HealthyStore_DoesNotThrow()
    {
        await Store.CheckAsync(Ct);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
