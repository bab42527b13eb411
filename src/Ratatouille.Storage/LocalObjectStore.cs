using System.Runtime.CompilerServices;

namespace Ratatouille.Storage;

/// <summary>
/// Objects as files under a root folder. A put writes a temporary sibling file, flushes
/// it to disk and renames it over the target, so a crash leaves either the old object,
/// the new one, or an orphaned <c>.tmp-</c> file that vacuum removes — never half a file.
/// </summary>
public sealed class LocalObjectStore : IObjectStore
{
    internal const string TempMarker = ".tmp-";
    private readonly string _root;

    public LocalObjectStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Kind => "local";

    public string Root => _root;

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + TempMarker + Guid.NewGuid().ToString("N");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public async Task PutFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        if (string.Equals(Path.GetFullPath(localPath), target, StringComparison.Ordinal))
        {
            return;
        }

        await using var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        await PutAsync(key, source, cancellationToken);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
            return Task.FromResult(stream);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ObjectNotFoundException(key);
        }
    }

    public async Task DownloadToFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        await using var source = await OpenReadAsync(key, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(localPath))!);
        await using var target = new FileStream(localPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await source.CopyToAsync(target, cancellationToken);
    }

    public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? new ObjectInfo(key, info.Length, info.LastWriteTimeUtc) : null);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectKeys.ValidatePrefix(prefix);
        // Walk from the deepest folder the prefix names, then filter by the full prefix.
        var slash = prefix.LastIndexOf('/');
        var folder = slash < 0 ? _root : Path.Combine(_root, prefix[..slash]);
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.None };
        foreach (var path in Directory.EnumerateFiles(folder, "*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var info = new FileInfo(path);
            if (info.Exists)
            {
                yield return new ObjectInfo(key, info.Length, info.LastWriteTimeUtc);
            }
        }

        await Task.CompletedTask;
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.CompletedTask;
        }

        RemoveEmptyParents(Path.GetDirectoryName(path)!);
        return Task.CompletedTask;
    }

    public string? TryGetLocalPath(string key) => PathOf(key);

    public Task CheckAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_root))
        {
            throw new DirectoryNotFoundException($"Object store root '{_root}' does not exist.");
        }

        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        ObjectKeys.Validate(key);
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Object key '{key}' escapes the store root.", nameof(key));
        }

        return path;
    }

    private void RemoveEmptyParents(string? folder)
    {
        while (folder is not null && folder.Length > _root.Length && folder.StartsWith(_root, StringComparison.Ordinal))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    return;
                }

                Directory.Delete(folder);
            }
            catch (IOException)
            {
                return;
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }

            folder = Path.GetDirectoryName(folder);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for vacuum: it removes orphaned temporary files.
        }
    }
}
