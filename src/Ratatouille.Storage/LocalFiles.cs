using Microsoft.Extensions.Logging;

namespace Ratatouille.Storage;

/// <summary>
/// Makes objects readable as local files for DuckDB. On the local store the object's own
/// file is used in place. On a remote store objects are copied into a bounded node-local
/// cache; data files are immutable, so a cached copy never goes stale, and the least
/// recently used unpinned files are evicted when the cache is over its size.
/// </summary>
public sealed class LocalFiles
{
    private readonly IObjectStore _store;
    private readonly string _cacheRoot;
    private readonly long _capacityBytes;
    private readonly ILogger<LocalFiles> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _downloads = new(StringComparer.Ordinal);
    private long _cachedBytes;

    public LocalFiles(IObjectStore store, string cacheRoot, long capacityBytes, ILogger<LocalFiles> logger)
    {
        _store = store;
        _cacheRoot = Path.GetFullPath(cacheRoot);
        _capacityBytes = capacityBytes;
        _logger = logger;
        if (store.TryGetLocalPath(ObjectKeys.Warehouse + "probe") is null)
        {
            Directory.CreateDirectory(_cacheRoot);
            LoadExistingEntries();
        }
    }

    /// <summary>True when objects are read in place and no cache is involved.</summary>
    public bool IsInPlace => _store.TryGetLocalPath(ObjectKeys.Warehouse + "probe") is not null;

    /// <summary>Folders DuckDB may read from (the sandbox's allowed directories).</summary>
    public IReadOnlyList<string> ReadableRoots =>
        IsInPlace ? [_store.TryGetLocalPath(ObjectKeys.Warehouse + "probe")![..^"probe".Length]] : [Path.Combine(_cacheRoot, "warehouse") + Path.DirectorySeparatorChar];

    /// <summary>Bytes currently held in the cache (0 on the local store).</summary>
    public long CachedBytes
    {
        get
        {
            lock (_gate)
            {
                return _cachedBytes;
            }
        }
    }

    /// <summary>The local path where the object is, or will be once acquired.</summary>
    public string PathFor(string key) => _store.TryGetLocalPath(key) ?? CachePath(key);

    /// <summary>Ensures the objects are local files and pins them until the lease is disposed.</summary>
    public async Task<FileLease> AcquireAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        if (IsInPlace)
        {
            return FileLease.None;
        }

        var pinned = new List<string>();
        try
        {
            foreach (var key in keys.Distinct(StringComparer.Ordinal))
            {
                await EnsureCachedAndPinAsync(key, cancellationToken);
                pinned.Add(key);
            }
        }
        catch
        {
            Release(pinned);
            throw;
        }

        EvictIfNeeded();
        return new FileLease(() => Release(pinned));
    }

    /// <summary>Seeds the cache with a file that was just uploaded, so the first read does not download it again.</summary>
    public void Adopt(string key, string localFile)
    {
        if (IsInPlace)
        {
            return;
        }

        var path = CachePath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(localFile, path, overwrite: true);
        lock (_gate)
        {
            if (!_entries.ContainsKey(key))
            {
                var size = new FileInfo(path).Length;
                _entries[key] = new Entry(size) { LastUse = DateTime.UtcNow.Ticks };
                _cachedBytes += size;
            }
        }

        EvictIfNeeded();
    }

    private async Task EnsureCachedAndPinAsync(string key, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task? download;
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out var entry) && entry.Pins == 0 && !File.Exists(CachePath(key)))
                {
                    // Removed behind our back (disk cleanup): forget it and fetch again.
                    _entries.Remove(key);
                    _cachedBytes -= entry.Size;
                    entry = null;
                }

                if (entry is not null)
                {
                    entry.Pins++;
                    entry.LastUse = DateTime.UtcNow.Ticks;
                    return;
                }

                if (!_downloads.TryGetValue(key, out download))
                {
                    download = DownloadAsync(key, cancellationToken);
                    _downloads[key] = download;
                }
            }

            try
            {
                await download.WaitAsync(cancellationToken);
            }
            finally
            {
                lock (_gate)
                {
                    if (_downloads.TryGetValue(key, out var current) && current == download && download.IsCompleted)
                    {
                        _downloads.Remove(key);
                    }
                }
            }
        }
    }

    private async Task DownloadAsync(string key, CancellationToken cancellationToken)
    {
        var path = CachePath(key);
        var temp = path + ".part-" + Guid.NewGuid().ToString("N");
        try
        {
            await _store.DownloadToFileAsync(key, temp, cancellationToken);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        var size = new FileInfo(path).Length;
        lock (_gate)
        {
            _entries[key] = new Entry(size) { LastUse = DateTime.UtcNow.Ticks };
            _cachedBytes += size;
        }

        _logger.LogDebug("Cached {Key} ({Bytes} bytes)", key, size);
    }

    private void Release(List<string> keys)
    {
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (_entries.TryGetValue(key, out var entry) && entry.Pins > 0)
                {
                    entry.Pins--;
                }
            }
        }

        EvictIfNeeded();
    }

    private void EvictIfNeeded()
    {
        List<string> victims = [];
        lock (_gate)
        {
            if (_cachedBytes <= _capacityBytes)
            {
                return;
            }

            foreach (var (key, entry) in _entries.Where(e => e.Value.Pins == 0).OrderBy(e => e.Value.LastUse).ToList())
            {
                if (_cachedBytes <= _capacityBytes)
                {
                    break;
                }

                _entries.Remove(key);
                _cachedBytes -= entry.Size;
                victims.Add(key);
            }
        }

        foreach (var key in victims)
        {
            try
            {
                File.Delete(CachePath(key));
            }
            catch (IOException ex)
            {
                _logger.LogWarning(ex, "Could not evict cached file {Key}", key);
            }
        }
    }

    private void LoadExistingEntries()
    {
        foreach (var path in Directory.EnumerateFiles(_cacheRoot, "*", SearchOption.AllDirectories))
        {
            if (path.Contains(".part-", StringComparison.Ordinal))
            {
                File.Delete(path);
                continue;
            }

            var key = Path.GetRelativePath(_cacheRoot, path).Replace(Path.DirectorySeparatorChar, '/');
            var info = new FileInfo(path);
            _entries[key] = new Entry(info.Length) { LastUse = info.LastAccessTimeUtc.Ticks };
            _cachedBytes += info.Length;
        }
    }

    private string CachePath(string key)
    {
        ObjectKeys.Validate(key);
        return Path.Combine(_cacheRoot, key.Replace('/', Path.DirectorySeparatorChar));
    }

    private sealed class Entry(long size)
    {
        public long Size { get; } = size;

        public int Pins { get; set; }

        public long LastUse { get; set; }
    }
}
