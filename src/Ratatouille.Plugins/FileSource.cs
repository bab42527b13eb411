using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using DuckDB.NET.Data;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.Options;
using Ratatouille.Query;
using Ratatouille.Sdk;
using Ratatouille.Storage;
using QueryFileFormat = Ratatouille.Query.FileFormat;
using SdkFileFormat = Ratatouille.Sdk.FileFormat;

namespace Ratatouille.Plugins;

/// <summary>
/// The kernel side of <see cref="IFileContext"/>: lists and reads files inside the configured import
/// roots and the landing area only. Every path is resolved (symbolic links included) and checked
/// against its root before use, and the files are read by a DuckDB sandbox that can open nothing else.
/// </summary>
public sealed class FileSource : IDisposable
{
    private readonly IObjectStore _store;
    private readonly LocalFiles _files;
    private readonly QueryOptions _queryOptions;
    private readonly Lazy<DuckDbInstance> _sandbox;

    public FileSource(IObjectStore store, LocalFiles files, IOptions<QueryOptions> queryOptions, IOptions<PluginOptions> options)
    {
        _store = store;
        _files = files;
        _queryOptions = queryOptions.Value;
        ImportRoots = options.Value.ImportRoots.Where(r => !string.IsNullOrWhiteSpace(r))
            .Select(r => Path.TrimEndingDirectorySeparator(RealPath(Path.GetFullPath(r)))).Distinct(StringComparer.Ordinal).ToList();
        _sandbox = new Lazy<DuckDbInstance>(() => DuckDbInstance.CreateSandbox(_queryOptions, [.. ImportRoots, LandingFolder]));
    }

    /// <summary>The import roots, absolute and with links resolved.</summary>
    public IReadOnlyList<string> ImportRoots { get; }

    private string LandingFolder => Path.TrimEndingDirectorySeparator(Path.GetDirectoryName(_files.PathFor(ObjectKeys.Landing + "x"))!);

    public async IAsyncEnumerable<FileEntry> ListAsync(FileLocation location, string pattern, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        pattern = ValidatePattern(pattern);
        if (location == FileLocation.Landing)
        {
            if (Path.IsPathRooted(pattern))
            {
                throw new PluginException("A landing-area pattern is relative to landing/, e.g. 'orders/*.csv'.");
            }

            var matcher = new Matcher(StringComparison.Ordinal).AddInclude(pattern);
            var found = new List<FileEntry>();
            await foreach (var info in _store.ListAsync(ObjectKeys.Landing, cancellationToken))
            {
                var relative = info.Key[ObjectKeys.Landing.Length..];
                if (matcher.Match(relative).HasMatches)
                {
                    found.Add(new FileEntry(relative, info.Size, info.LastModified));
                }
            }

            foreach (var entry in found.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                yield return entry;
            }

            yield break;
        }

        if (ImportRoots.Count == 0)
        {
            throw new PluginException("No import folder is configured on this server: an administrator sets Plugins:ImportRoots (e.g. RATATOUILLE__Plugins__ImportRoots__0=/srv/import).");
        }

        var results = new SortedDictionary<string, FileEntry>(StringComparer.Ordinal);
        foreach (var root in ImportRoots)
        {
            string relativePattern;
            if (Path.IsPathRooted(pattern))
            {
                var full = Path.GetFullPath(pattern);
                if (!IsInside(full, root))
                {
                    continue;
                }

                relativePattern = Path.GetRelativePath(root, full).Replace('\\', '/');
            }
            else
            {
                relativePattern = pattern;
            }

            var matcher = new Matcher(StringComparison.Ordinal).AddInclude(relativePattern);
            foreach (var match in matcher.GetResultsInFullPath(root))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var real = RealPath(match);
                if (!IsInside(real, root))
                {
                    continue; // a link that leads out of the root
                }

                var info = new FileInfo(real);
                results[match] = new FileEntry(match, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
            }
        }

        if (Path.IsPathRooted(pattern) && !ImportRoots.Any(r => IsInside(Path.GetFullPath(pattern), r)))
        {
            throw new PluginException($"'{pattern}' is outside the import folders this server opened ({string.Join(", ", ImportRoots)}).");
        }

        foreach (var entry in results.Values)
        {
            yield return entry;
        }
    }

    public async Task<Schema> DescribeAsync(FileReadRequest request, CancellationToken cancellationToken)
    {
        using var read = await OpenAsync(request, limit: 0, cancellationToken);
        return read.Stream.Schema;
    }

    public async IAsyncEnumerable<RecordBatch> ReadAsync(FileReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var read = await OpenAsync(request, limit: null, cancellationToken);
        while (true)
        {
            RecordBatch? batch;
            try
            {
                batch = await read.Stream.ReadNextRecordBatchAsync(cancellationToken);
            }
            catch (DuckDBException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new PluginException($"Reading {Describe(request)} failed: {DuckDbErrors.Translate(ex, 0).Message}");
            }

            if (batch is null)
            {
                yield break;
            }

            yield return batch;
        }
    }

    public void Dispose()
    {
        if (_sandbox.IsValueCreated)
        {
            _sandbox.Value.Dispose();
        }
    }

    private async Task<OpenRead> OpenAsync(FileReadRequest request, int? limit, CancellationToken cancellationToken)
    {
        if (request.Files is not { Count: > 0 })
        {
            throw new PluginException("No files to read.");
        }

        var (paths, lease) = await ResolveAsync(request, cancellationToken);
        DuckDBConnection? connection = null;
        DuckDBCommand? command = null;
        try
        {
            var format = request.Format switch
            {
                SdkFileFormat.Auto => IngestService.FormatFromName(paths[0]) ?? throw new PluginException($"Cannot tell the format of '{request.Files[0]}' from its extension; set the format."),
                SdkFileFormat.Csv => QueryFileFormat.Csv,
                SdkFileFormat.Tsv => QueryFileFormat.Tsv,
                SdkFileFormat.Json or SdkFileFormat.NdJson => QueryFileFormat.Json,
                _ => QueryFileFormat.Parquet,
            };
            var options = new IngestOptions { Delimiter = request.Delimiter, Header = request.Header, Quote = request.Quote, NullString = request.NullString };
            string source;
            try
            {
                var ndjson = request.Format == SdkFileFormat.NdJson || paths[0].EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) || paths[0].EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);
                source = IngestService.BuildSource(format, paths, options, multiFile: true, fileNameColumn: request.IncludeFileName, newlineDelimited: ndjson);
            }
            catch (IngestException ex)
            {
                throw new PluginException(ex.Message);
            }

            var select = request.IncludeFileName
                ? $"SELECT * EXCLUDE (filename), {FileNameExpression(request.Location)} AS _source_file FROM ({source})"
                : source;
            connection = _sandbox.Value.Open();
            if (request.Schema is { } target)
            {
                select = Conform(connection, select, target);
            }

            if (limit is { } rows)
            {
                select = $"SELECT * FROM ({select}) LIMIT {rows}";
            }

            command = connection.CreateCommand();
            command.CommandText = select;
            command.UseStreamingMode = true;
            var registration = cancellationToken.Register(command.Cancel);
            try
            {
                var stream = await Task.Run(command.ExecuteArrowStream, cancellationToken);
                return new OpenRead(stream, registration, command, connection, lease);
            }
            catch
            {
                await registration.DisposeAsync();
                throw;
            }
        }
        catch (DuckDBException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Dispose(command, connection, lease);
            throw new PluginException($"Reading {Describe(request)} failed: {DuckDbErrors.Translate(ex, 0).Message}");
        }
        catch
        {
            Dispose(command, connection, lease);
            throw;
        }
    }

    /// <summary>Casts the files' columns to the requested ones; requested columns the files lack become NULL.</summary>
    private static string Conform(DuckDBConnection connection, string select, Schema target)
    {
        var present = DuckDbSchema.Describe(connection, select, []).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var columns = target.FieldsList.Select(f =>
        {
            var type = ArrowTypeNames.Describe(f);
            return present.Contains(f.Name)
                ? $"CAST({Sql.Ident(f.Name)} AS {type}) AS {Sql.Ident(f.Name)}"
                : $"CAST(NULL AS {type}) AS {Sql.Ident(f.Name)}";
        });
        return $"SELECT {string.Join(", ", columns)} FROM ({select}) AS files";
    }

    private static void Dispose(params IDisposable?[] items)
    {
        foreach (var item in items)
        {
            item?.Dispose();
        }
    }

    private async Task<(List<string> Paths, IDisposable Lease)> ResolveAsync(FileReadRequest request, CancellationToken cancellationToken)
    {
        if (request.Location == FileLocation.Landing)
        {
            var keys = request.Files.Select(f =>
            {
                try
                {
                    return ObjectKeys.Validate(ObjectKeys.Landing + ValidatePattern(f));
                }
                catch (ArgumentException)
                {
                    throw new PluginException($"'{f}' is not a valid landing-area path.");
                }
            }).ToList();
            var lease = await _files.AcquireAsync(keys, cancellationToken);
            return (keys.Select(_files.PathFor).ToList(), lease);
        }

        var paths = new List<string>();
        foreach (var file in request.Files)
        {
            var full = Path.GetFullPath(file);
            var real = RealPath(full);
            if (!Path.IsPathRooted(file) || !ImportRoots.Any(r => IsInside(real, r)))
            {
                throw new PluginException($"'{file}' is outside the import folders this server opened.");
            }

            if (!File.Exists(real))
            {
                throw new PluginException($"'{file}' does not exist (any more).");
            }

            paths.Add(real);
        }

        return (paths, NoLease.Instance);
    }

    private string FileNameExpression(FileLocation location) => location == FileLocation.Landing
        ? $"substr(filename, {LandingFolder.Length + 2})"
        : "filename";

    private static string Describe(FileReadRequest request) =>
        request.Files.Count == 1 ? $"'{request.Files[0]}'" : $"{request.Files.Count} files ('{request.Files[0]}', …)";

    private static string ValidatePattern(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern) || pattern.Length > 1024 || pattern.Any(char.IsControl))
        {
            throw new PluginException("A file path or pattern is required (at most 1024 characters).");
        }

        var normalized = pattern.Replace('\\', '/');
        if (normalized.Split('/').Any(segment => segment == ".."))
        {
            throw new PluginException($"'{pattern}' climbs out of its folder ('..' is not allowed).");
        }

        return normalized;
    }

    private static bool IsInside(string path, string root) =>
        path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || path == root;

    /// <summary>The path with every symbolic link along it resolved (as far as it exists).</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                next = target is null ? next : Path.GetFullPath(target.FullName);
            }

            current = next;
        }

        return current;
    }

    /// <summary>An open DuckDB Arrow stream and everything that must live as long as it.</summary>
    private sealed class OpenRead(IArrowArrayStream stream, CancellationTokenRegistration registration, DuckDBCommand command, DuckDBConnection connection, IDisposable lease) : IDisposable
    {
        public IArrowArrayStream Stream { get; } = stream;

        public void Dispose()
        {
            Stream.Dispose();
            registration.Dispose();
            command.Dispose();
            connection.Dispose();
            lease.Dispose();
        }
    }

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();

        public void Dispose()
        {
        }
    }
}
