using Apache.Arrow;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Sqlite.Tests;

/// <summary>A file context that only knows its import roots: the SQLite connector needs nothing else.</summary>
internal sealed class ImportRootsFileContext(params string[] roots) : IFileContext
{
    public IReadOnlyList<string> ImportRoots { get; } = roots;

    public IAsyncEnumerable<FileEntry> ListAsync(FileLocation location, string pattern, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The SQLite connector does not list files.");

    public Task<Schema> DescribeAsync(FileReadRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The SQLite connector does not describe files through the platform.");

    public IAsyncEnumerable<RecordBatch> ReadAsync(FileReadRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The SQLite connector does not read files through the platform.");
}
