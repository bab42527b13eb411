using Apache.Arrow;

namespace Ratatouille.Sdk;

/// <summary>Where a file is read from.</summary>
public enum FileLocation
{
    /// <summary>A server folder an administrator opened for import (paths are relative to one of <see cref="IFileContext.ImportRoots"/>).</summary>
    ImportRoot,

    /// <summary>The object store's landing area, where uploaded raw files are kept (keys relative to <c>landing/</c>).</summary>
    Landing,
}

/// <summary>A file format the platform reads.</summary>
public enum FileFormat
{
    /// <summary>Decided from the file extension.</summary>
    Auto,

    /// <summary>Comma (or <see cref="FileReadRequest.Delimiter"/>) separated values.</summary>
    Csv,

    /// <summary>Tab separated values.</summary>
    Tsv,

    /// <summary>A JSON array of objects, or newline-delimited objects (detected).</summary>
    Json,

    /// <summary>Newline-delimited JSON objects.</summary>
    NdJson,

    /// <summary>Apache Parquet.</summary>
    Parquet,
}

/// <summary>A file found by <see cref="IFileContext.ListAsync"/>.</summary>
/// <param name="Path">What <see cref="FileReadRequest.Files"/> takes: the absolute path for an import root, the key relative to <c>landing/</c> for the landing area.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="LastModified">Last modification time (UTC).</param>
public sealed record FileEntry(string Path, long Size, DateTimeOffset LastModified);

/// <summary>Which files to read and how. Everything unset is inferred from the data.</summary>
public sealed record FileReadRequest
{
    /// <summary>Where <see cref="Files"/> are.</summary>
    public FileLocation Location { get; init; }

    /// <summary>Files to read as one table, as <see cref="IFileContext.ListAsync"/> returns them; columns are unified by name.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>The format; from the extension when <see cref="FileFormat.Auto"/>.</summary>
    public FileFormat Format { get; init; }

    /// <summary>CSV delimiter (one character, or "\t").</summary>
    public string? Delimiter { get; init; }

    /// <summary>Whether CSV files start with a header line.</summary>
    public bool? Header { get; init; }

    /// <summary>CSV quote character.</summary>
    public string? Quote { get; init; }

    /// <summary>Text that stands for NULL in CSV.</summary>
    public string? NullString { get; init; }

    /// <summary>
    /// Columns to return, by name and type (e.g. the schema discovered over all files): each is cast to its
    /// type, columns the files lack are null, others are dropped. Reads of a subset of files then still match
    /// the discovered stream. Null returns the files' own columns.
    /// </summary>
    public Apache.Arrow.Schema? Schema { get; init; }

    /// <summary>Add a column <c>_source_file</c> with the file each row came from (as in <see cref="FileEntry.Path"/>).</summary>
    public bool IncludeFileName { get; init; }
}

/// <summary>
/// File access for plugins, confined by the platform: only inside the import roots an administrator
/// configured (<c>Plugins:ImportRoots</c>) and the landing area. Paths that leave a root are refused.
/// </summary>
public interface IFileContext
{
    /// <summary>The import roots (absolute server paths) this installation opened; empty when none.</summary>
    IReadOnlyList<string> ImportRoots { get; }

    /// <summary>
    /// Files matching a glob (<c>*</c>, <c>?</c>, <c>**</c> for any folders), e.g. <c>sales/*.csv</c> or
    /// <c>exports/**/*.parquet</c>: relative to each import root (or an absolute path inside one), or relative
    /// to the landing area; sorted by path.
    /// </summary>
    /// <exception cref="PluginException">The pattern leaves the root, or no import root is configured.</exception>
    IAsyncEnumerable<FileEntry> ListAsync(FileLocation location, string pattern, CancellationToken cancellationToken);

    /// <summary>The columns reading <paramref name="request"/> would give.</summary>
    Task<Schema> DescribeAsync(FileReadRequest request, CancellationToken cancellationToken);

    /// <summary>Reads the files as one table, streamed in record batches.</summary>
    IAsyncEnumerable<RecordBatch> ReadAsync(FileReadRequest request, CancellationToken cancellationToken);
}
