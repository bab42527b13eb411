using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Files;

/// <summary>
/// Reads every file matching a glob as one stream, through the platform's file context (so it can only
/// reach import roots and the landing area). Incremental reads take the files modified after the last
/// committed read, tracked by modification time and, for ties, by path.
/// </summary>
[Connector("files", DisplayName = "Files", Category = "Files", Icon = "Document",
    Description = "CSV, TSV, JSON, NDJSON and Parquet files from an import folder on the server or from uploads.")]
public sealed class FilesConnector : Connector<FilesOptions>
{
    public override async Task<ConnectionCheckResult> CheckAsync(FilesOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        var files = await ListAsync(options, context, cancellationToken);
        if (files.Count == 0)
        {
            return ConnectionCheckResult.Failed($"No file matches '{options.Path}' in the {Describe(options.Location)}.");
        }

        await context.Files.DescribeAsync(Request(options, [files[0].Path]), cancellationToken);
        return ConnectionCheckResult.Ok($"{files.Count} file(s) match, {files.Sum(f => f.Size):N0} bytes; '{files[0].Path}' is readable.");
    }

    public override async Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(FilesOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        var files = await ListAsync(options, context, cancellationToken);
        if (files.Count == 0)
        {
            throw new PluginException($"No file matches '{options.Path}' in the {Describe(options.Location)}: there is nothing to describe.");
        }

        var schema = await context.Files.DescribeAsync(Request(options, files.Select(f => f.Path).ToList()), cancellationToken);
        return
        [
            new StreamDescriptor(StreamName(options), schema)
            {
                Description = $"{files.Count} file(s) matching {options.Path}",
                SupportedModes = [SyncMode.Full, SyncMode.Incremental],
            },
        ];
    }

    public override async IAsyncEnumerable<RecordBatch> ReadAsync(FilesOptions options, ReadRequest request, IPluginContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (request.Stream != StreamName(options))
        {
            throw new PluginException($"Unknown stream '{request.Stream}'; this connection has '{StreamName(options)}'.");
        }

        var files = await ListAsync(options, context, cancellationToken);
        var cursor = request.Mode == SyncMode.Incremental ? FileCursor.From(request.State) : FileCursor.Start;
        var pending = files.Where(cursor.IsNew).OrderBy(f => f.LastModified).ThenBy(f => f.Path, StringComparer.Ordinal).ToList();
        if (pending.Count == 0)
        {
            if (request.Mode == SyncMode.Incremental)
            {
                request.SaveState(cursor.ToJson());
            }

            yield break;
        }

        // The stream's columns come from all matching files (as discovered); the new files are read as those
        // columns, so a file that lacks one, or whose values look like another type, still fits.
        var schema = await context.Files.DescribeAsync(Request(options, files.Select(f => f.Path).ToList()), cancellationToken);

        // One read over all new files: DuckDB reads them in parallel and unifies their columns.
        await foreach (var batch in context.Files.ReadAsync(Request(options, pending.Select(f => f.Path).ToList()) with { Schema = schema }, cancellationToken))
        {
            yield return batch;
        }

        if (request.Mode == SyncMode.Incremental)
        {
            request.SaveState(cursor.Advance(pending).ToJson());
        }
    }

    private static async Task<List<FileEntry>> ListAsync(FilesOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        var files = new List<FileEntry>();
        await foreach (var file in context.Files.ListAsync(options.Location, options.Path, cancellationToken))
        {
            files.Add(file);
        }

        return files;
    }

    private static FileReadRequest Request(FilesOptions options, IReadOnlyList<string> files) => new()
    {
        Location = options.Location,
        Files = files,
        Format = options.Format,
        Delimiter = options.Delimiter,
        Header = options.Header,
        Quote = options.Quote,
        NullString = options.NullString,
        IncludeFileName = options.IncludeFileName,
    };

    internal static string StreamName(FilesOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.StreamName))
        {
            return options.StreamName;
        }

        // "sales/2024-*.csv" → "sales_2024"; "orders.csv" → "orders".
        var path = options.Path.Replace('\\', '/');
        var stem = System.IO.Path.GetFileNameWithoutExtension(path);
        var folder = System.IO.Path.GetDirectoryName(path)?.Replace('/', '_');
        var name = string.Join('_', new[] { folder, stem }.Where(p => !string.IsNullOrEmpty(p)));
        var cleaned = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_').ToArray()).Trim('_', '.', '-');
        while (cleaned.Contains("__", StringComparison.Ordinal))
        {
            cleaned = cleaned.Replace("__", "_", StringComparison.Ordinal);
        }

        return cleaned.Trim('_', '.', '-') is { Length: > 0 } trimmed ? trimmed : "files";
    }

    private static string Describe(FileLocation location) => location == FileLocation.Landing ? "landing area" : "import roots";

    /// <summary>The newest modification time read, and the files read at exactly that time.</summary>
    private sealed record FileCursor(DateTimeOffset? LastModified, IReadOnlySet<string> FilesAtLastModified)
    {
        public static readonly FileCursor Start = new(null, new HashSet<string>());

        public static FileCursor From(JsonNode? state)
        {
            if (state?["lastModified"]?.GetValue<DateTimeOffset>() is not { } last)
            {
                return Start;
            }

            var files = state["files"]?.AsArray().Select(f => f!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
            return new FileCursor(last, files);
        }

        public bool IsNew(FileEntry file) =>
            LastModified is not { } last || file.LastModified > last || (file.LastModified == last && !FilesAtLastModified.Contains(file.Path));

        public FileCursor Advance(IReadOnlyList<FileEntry> read)
        {
            var newest = read.Max(f => f.LastModified);
            if (LastModified is { } last && last > newest)
            {
                return this;
            }

            var files = read.Where(f => f.LastModified == newest).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            if (LastModified == newest)
            {
                files.UnionWith(FilesAtLastModified);
            }

            return new FileCursor(newest, files);
        }

        public JsonObject ToJson() => new()
        {
            ["lastModified"] = LastModified,
            ["files"] = new JsonArray(FilesAtLastModified.Order(StringComparer.Ordinal).Select(f => (JsonNode?)f).ToArray()),
        };
    }
}
