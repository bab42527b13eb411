using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Ratatouille.Catalog.Model;
using Ratatouille.Storage;

namespace Ratatouille.Query;

/// <summary>
/// File ingest: the raw file is kept in <c>landing/</c> exactly as received, then DuckDB reads
/// it (<c>read_csv</c>/<c>read_json</c>/<c>read_parquet</c>, types sniffed unless overridden) and
/// writes one Parquet file that is committed as a new snapshot. No row passes through .NET.
/// </summary>
public sealed partial class IngestService(IObjectStore store, DatasetWriter writer, DataDirectory dataDirectory, ILogger<IngestService> logger)
{
    /// <summary>Receives <paramref name="content"/>, lands it and writes it to <paramref name="dataset"/>.</summary>
    /// <exception cref="IngestException">The file is too large or cannot be read; nothing was committed.</exception>
    public async Task<WriteResult> IngestAsync(
        DatasetName dataset,
        Stream content,
        string fileName,
        IngestOptions options,
        WriteMode mode,
        bool createOnly,
        long maxBytes,
        CancellationToken cancellationToken)
    {
        var format = options.Format ?? FormatFromName(fileName)
            ?? throw new IngestException($"Cannot tell the format of '{fileName}' from its name: pass format=csv, tsv, json or parquet.");
        var source = BuildSource(format, "{0}", options); // validates options before any byte is stored
        _ = source;

        var ingestId = Guid.NewGuid().ToString("N");
        var safeName = SafeFileName(fileName, format);
        var workFolder = Path.Combine(dataDirectory.TempFolder, "ingest-" + ingestId);
        Directory.CreateDirectory(workFolder);
        var temp = Path.Combine(workFolder, safeName);
        var landingKey = $"{ObjectKeys.Landing}uploads/{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/{ingestId}/{safeName}";
        var landed = false;
        try
        {
            var received = await ReceiveAsync(content, temp, maxBytes, cancellationToken);
            string readPath;
            if (store.TryGetLocalPath(landingKey) is { } landingPath)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(landingPath)!);
                File.Move(temp, landingPath);
                readPath = landingPath;
            }
            else
            {
                await store.PutFileAsync(landingKey, temp, cancellationToken);
                readPath = temp;
            }

            landed = true;
            var select = BuildSource(format, readPath, options);
            try
            {
                var (snapshot, rows) = await writer.WriteAsync(dataset, select, mode, createOnly, $"upload:{fileName}", cancellationToken);
                logger.LogInformation("Ingested {File} ({Bytes} bytes, {Rows} rows) into {Dataset} as snapshot {Snapshot}", fileName, received, rows, dataset, snapshot.Id);
                return new WriteResult(dataset, snapshot, rows, landingKey);
            }
            catch (DuckDBException ex)
            {
                var (_, message, _) = DuckDbErrors.Parse(ex.Message);
                throw new IngestException($"Could not read '{fileName}' as {format.ToString().ToUpperInvariant()}: {Shorten(message)}", inner: ex);
            }
        }
        catch when (landed)
        {
            // A rejected file is not kept: landing holds what was ingested.
            await TryDeleteAsync(landingKey);
            throw;
        }
        finally
        {
            try
            {
                Directory.Delete(workFolder, recursive: true);
            }
            catch (IOException)
            {
                // Removed at the next start with the rest of tmp/.
            }
        }
    }

    /// <summary>The format a file name implies, if any.</summary>
    public static FileFormat? FormatFromName(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".csv" or ".txt" => FileFormat.Csv,
        ".tsv" or ".tab" => FileFormat.Tsv,
        ".json" or ".ndjson" or ".jsonl" => FileFormat.Json,
        ".parquet" or ".pq" => FileFormat.Parquet,
        _ => null,
    };

    /// <summary>The DuckDB SELECT that reads a file with the given options; options are validated, never spliced raw.</summary>
    public static string BuildSource(FileFormat format, string path, IngestOptions options) => BuildSource(format, [path], options, multiFile: false);

    /// <summary>
    /// The DuckDB SELECT that reads several files of one format as one table: columns are unified by name
    /// and, with <paramref name="fileNameColumn"/>, a <c>filename</c> column holds each row's file.
    /// </summary>
    public static string BuildSource(FileFormat format, IReadOnlyList<string> paths, IngestOptions options, bool multiFile = true, bool fileNameColumn = false, bool newlineDelimited = false)
    {
        var literal = paths.Count == 1 ? Sql.Literal(paths[0]) : Sql.List(paths);
        var extra = (multiFile ? ", union_by_name=true" : "") + (fileNameColumn ? ", filename=true" : "");
        switch (format)
        {
            case FileFormat.Parquet:
                return $"SELECT * FROM read_parquet({literal}{extra})";
            case FileFormat.Json:
                return $"SELECT * FROM read_json({literal}, format={(newlineDelimited ? "'newline_delimited'" : "'auto'")}, records='auto'{extra})";
            case FileFormat.Csv:
            case FileFormat.Tsv:
                var args = new StringBuilder(literal).Append(extra);
                var delimiter = format == FileFormat.Tsv ? "\t" : ParseDelimiter(options.Delimiter);
                if (delimiter is not null)
                {
                    args.Append(", delim=").Append(Sql.Literal(delimiter));
                }

                if (options.Header is { } header)
                {
                    args.Append(", header=").Append(header ? "true" : "false");
                }

                if (options.Quote is { } quote)
                {
                    if (quote.Length != 1)
                    {
                        throw new IngestException("quote must be a single character.");
                    }

                    args.Append(", quote=").Append(Sql.Literal(quote));
                }

                if (options.NullString is { } nullString)
                {
                    args.Append(", nullstr=").Append(Sql.Literal(nullString));
                }

                if (options.Types is { Count: > 0 } types)
                {
                    args.Append(", types={")
                        .Append(string.Join(", ", types.Select(t => $"{Sql.Literal(t.Key)}: {Sql.Literal(ValidateType(t.Key, t.Value))}")))
                        .Append('}');
                }

                return $"SELECT * FROM read_csv({args})";
            default:
                throw new IngestException($"Unsupported format {format}.");
        }
    }

    private static string? ParseDelimiter(string? value) => value switch
    {
        null or "" => null,
        "\\t" or "tab" or "\t" => "\t",
        { Length: 1 } => value,
        _ => throw new IngestException($"delimiter must be a single character (or \\t); got '{value}'."),
    };

    private static string ValidateType(string column, string type)
    {
        if (!TypePattern().IsMatch(type))
        {
            throw new IngestException($"'{type}' is not a valid column type for '{column}' (e.g. VARCHAR, BIGINT, DOUBLE, DECIMAL(18,2), DATE, TIMESTAMP).");
        }

        return type.Trim().ToUpperInvariant();
    }

    private static async Task<long> ReceiveAsync(Stream content, string path, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw new IngestException($"The file is larger than the upload limit of {maxBytes / (1024 * 1024)} MB.", tooLarge: true);
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        await file.FlushAsync(cancellationToken);
        file.Flush(flushToDisk: true);
        return total;
    }

    private static string SafeFileName(string fileName, FileFormat format)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).Trim('.');
        if (safe.Length == 0)
        {
            safe = "upload." + format.ToString().ToLowerInvariant();
        }

        return safe.Length > 120 ? safe[^120..] : safe;
    }

    private static string Shorten(string message)
    {
        // DuckDB appends a long list of "possible fixes" to CSV errors; the first lines say what and where.
        var cut = message.IndexOf("Possible fixes", StringComparison.OrdinalIgnoreCase);
        var text = (cut > 0 ? message[..cut] : message).Trim();
        return text.Length > 2000 ? text[..2000] + "…" : text;
    }

    private async Task TryDeleteAsync(string key)
    {
        try
        {
            await store.DeleteAsync(key, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not remove landed file {Key}", key);
        }
    }

    [GeneratedRegex(@"^\s*[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?(\[\])?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TypePattern();
}
