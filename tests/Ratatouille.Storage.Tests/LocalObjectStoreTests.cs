using Ratatouille.Testing;

namespace Ratatouille.Storage.Tests;

public sealed class LocalObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly string _root = RepositoryPaths.NewTempFolder("local-store");
    private readonly LocalObjectStore _store;

    public LocalObjectStoreTests() => _store = new LocalObjectStore(_root);

    protected override IObjectStore Store => _store;

    [Fact]
    public async Task PutAsync_FailingSource_LeavesPreviousObjectIntact()
    {
        await _store.PutAsync("warehouse/bronze/x/a.parquet", new MemoryStream("old"u8.ToArray()), TestTimeout.Token);

        await Assert.ThrowsAsync<IOException>(() => _store.PutAsync("warehouse/bronze/x/a.parquet", new FailingStream(), TestTimeout.Token));

        Assert.Equal("old", await File.ReadAllTextAsync(Path.Combine(_root, "warehouse/bronze/x/a.parquet"), TestTimeout.Token));
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "warehouse/bronze/x")));
    }

    [Fact]
    public void TryGetLocalPath_PointsInsideRoot()
    {
        Assert.Equal(Path.Combine(_root, "warehouse", "gold", "k.parquet"), _store.TryGetLocalPath("warehouse/gold/k.parquet"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed class FailingStream : Stream
    {
        private int _reads;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            _reads++ == 0 ? WriteSome(buffer, offset) : throw new IOException("connection reset while uploading");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private static int WriteSome(byte[] buffer, int offset)
        {
            buffer[offset] = 42;
            return 1;
        }
    }
}
