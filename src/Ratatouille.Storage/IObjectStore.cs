namespace Ratatouille.Storage;

/// <summary>
/// A flat, immutable-object store addressed by slash-separated keys such as
/// <c>warehouse/bronze/orders/0001.parquet</c>. Writes are atomic: a reader sees a
/// whole object or none. Implementations: <see cref="LocalObjectStore"/> (default)
/// and <see cref="S3ObjectStore"/>.
/// </summary>
public interface IObjectStore
{
    /// <summary>A short name for logs and health output, e.g. <c>local</c> or <c>s3</c>.</summary>
    string Kind { get; }

    /// <summary>Writes <paramref name="content"/> under <paramref name="key"/>, replacing any object there, atomically.</summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>Uploads a local file under <paramref name="key"/>, atomically.</summary>
    Task PutFileAsync(string key, string localPath, CancellationToken cancellationToken);

    /// <summary>Opens an object for reading.</summary>
    /// <exception cref="ObjectNotFoundException">No object has that key.</exception>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Copies an object into a local file (created or overwritten).</summary>
    /// <exception cref="ObjectNotFoundException">No object has that key.</exception>
    Task DownloadToFileAsync(string key, string localPath, CancellationToken cancellationToken);

    /// <summary>Metadata of one object, or <c>null</c> when it does not exist.</summary>
    Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken);

    /// <summary>Lists objects whose key starts with <paramref name="prefix"/>, recursively.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes an object; deleting a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// The path of the object on this machine's file system when the store keeps objects
    /// as local files (so DuckDB can read them in place), otherwise <c>null</c>.
    /// </summary>
    string? TryGetLocalPath(string key);

    /// <summary>Checks the store answers (used by the readiness probe).</summary>
    Task CheckAsync(CancellationToken cancellationToken);
}
