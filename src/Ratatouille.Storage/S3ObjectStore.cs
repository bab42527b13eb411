using System.Runtime.CompilerServices;
using Minio;
using Minio.DataModel.Args;
using MinioNotFound = Minio.Exceptions.ObjectNotFoundException;
using BucketNotFound = Minio.Exceptions.BucketNotFoundException;

namespace Ratatouille.Storage;

/// <summary>
/// An S3-compatible bucket (MinIO, AWS S3, …) through the Minio SDK. S3 puts are atomic
/// per object, which is all the catalog needs: data files are immutable and only the
/// metadata store decides which of them a dataset is made of.
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    private readonly IMinioClient _client;
    private readonly string _bucket;
    private readonly string _tempFolder;

    public S3ObjectStore(S3Options options, string tempFolder)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = new Uri(options.Endpoint);
        _client = new MinioClient()
            .WithEndpoint(endpoint.Host, endpoint.Port)
            .WithCredentials(options.AccessKey, options.SecretKey)
            .WithSSL(endpoint.Scheme == Uri.UriSchemeHttps)
            .WithRegion(options.Region)
            .Build();
        _bucket = options.Bucket;
        _tempFolder = tempFolder;
        Directory.CreateDirectory(_tempFolder);
    }

    public string Kind => "s3";

    public async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (!await _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(_bucket), cancellationToken))
        {
            await _client.MakeBucketAsync(new MakeBucketArgs().WithBucket(_bucket), cancellationToken);
        }
    }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(key);
        if (content.CanSeek)
        {
            await PutStreamAsync(key, content, content.Length - content.Position, cancellationToken);
            return;
        }

        // The S3 protocol wants the length up front: spool unknown-length streams to disk, not memory.
        var spool = TempPath();
        try
        {
            await using (var file = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
            }

            await PutFileAsync(key, spool, cancellationToken);
        }
        finally
        {
            File.Delete(spool);
        }
    }

    public async Task PutFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(key);
        await using var file = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await PutStreamAsync(key, file, file.Length, cancellationToken);
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = TempPath();
        await DownloadToFileAsync(key, path, cancellationToken);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
    }

    public async Task DownloadToFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(key);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(localPath))!);
        try
        {
            await using var target = new FileStream(localPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await _client.GetObjectAsync(
                new GetObjectArgs().WithBucket(_bucket).WithObject(key)
                    .WithCallbackStream(async (body, ct) => await body.CopyToAsync(target, ct)),
                cancellationToken);
        }
        catch (Exception ex) when (ex is MinioNotFound or BucketNotFound)
        {
            File.Delete(localPath);
            throw new ObjectNotFoundException(key);
        }
        catch
        {
            File.Delete(localPath);
            throw;
        }
    }

    public async Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(key);
        try
        {
            var stat = await _client.StatObjectAsync(new StatObjectArgs().WithBucket(_bucket).WithObject(key), cancellationToken);
            return new ObjectInfo(key, stat.Size, new DateTimeOffset(DateTime.SpecifyKind(stat.LastModified, DateTimeKind.Utc)));
        }
        catch (MinioNotFound)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectKeys.ValidatePrefix(prefix);
        var args = new ListObjectsArgs().WithBucket(_bucket).WithPrefix(prefix).WithRecursive(true);
        await foreach (var item in _client.ListObjectsEnumAsync(args, cancellationToken))
        {
            if (item.IsDir)
            {
                continue;
            }

            var modified = item.LastModifiedDateTime is { } m ? new DateTimeOffset(DateTime.SpecifyKind(m, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
            yield return new ObjectInfo(item.Key, (long)item.Size, modified);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        ObjectKeys.Validate(key);
        try
        {
            await _client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(_bucket).WithObject(key), cancellationToken);
        }
        catch (MinioNotFound)
        {
            // Deleting a missing object is not an error (S3 itself answers 204).
        }
    }

    public string? TryGetLocalPath(string key) => null;

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (!await _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(_bucket), cancellationToken))
        {
            throw new InvalidOperationException($"S3 bucket '{_bucket}' does not exist.");
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task PutStreamAsync(string key, Stream content, long length, CancellationToken cancellationToken)
    {
        await _client.PutObjectAsync(
            new PutObjectArgs().WithBucket(_bucket).WithObject(key).WithStreamData(content).WithObjectSize(length)
                .WithContentType("application/octet-stream"),
            cancellationToken);
    }

    private string TempPath() => Path.Combine(_tempFolder, "s3-" + Guid.NewGuid().ToString("N"));
}
