using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Apache.Arrow;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratatouille.Catalog;
using Ratatouille.Catalog.Model;
using Ratatouille.Storage;

namespace Ratatouille.Query;

/// <summary>
/// Writes the result of a kernel-built SELECT, or a stream of Arrow record batches, into a new
/// immutable Parquet file with DuckDB's <c>COPY</c>, stores it, and commits it as a snapshot. If
/// anything fails before the commit, the file is deleted and the dataset is untouched; if the
/// process dies, the file is an orphan that vacuum removes.
/// </summary>
public sealed class DatasetWriter : IDisposable
{
    private readonly CatalogService _catalog;
    private readonly IObjectStore _store;
    private readonly LocalFiles _files;
    private readonly DataDirectory _dataDirectory;
    private readonly ILogger<DatasetWriter> _logger;
    private readonly DuckDbInstance _kernel;

    public DatasetWriter(CatalogService catalog, IObjectStore store, LocalFiles files, DataDirectory dataDirectory, IOptions<QueryOptions> options, ILogger<DatasetWriter> logger)
    {
        _catalog = catalog;
        _store = store;
        _files = files;
        _dataDirectory = dataDirectory;
        _logger = logger;
        _kernel = DuckDbInstance.CreateKernel(options.Value, Path.Combine(dataDirectory.TempFolder, "duckdb"));
    }

    /// <summary>Writes the rows of <paramref name="selectSql"/> (kernel-built, trusted SQL) to <paramref name="dataset"/>.</summary>
    public Task<(SnapshotInfo Snapshot, long Rows)> WriteAsync(
        DatasetName dataset, string selectSql, WriteMode mode, bool createOnly, string origin, CancellationToken cancellationToken) =>
        WriteFileAsync(
            dataset,
            mode,
            createOnly,
            origin,
            (connection, target, token) => ExecuteAsync(connection, CopyToParquet(selectSql, target), token),
            cancellationToken);

    /// <summary>
    /// Streams Arrow record batches (e.g. from a connector plugin) through DuckDB into one Parquet
    /// file and commits it to <paramref name="dataset"/>, like <see cref="WriteAsync"/>. The source
    /// is pulled on its own task through a bounded channel, so memory stays bounded by a few batches;
    /// each batch is owned by the writer once yielded and disposed after use. Zero batches commit an
    /// empty dataset with the declared columns. Field metadata <c>ratatouille.type</c> = <c>json</c>
    /// (Utf8) or <c>uuid</c> (Utf8 or FixedSizeBinary(16)) makes the column DuckDB JSON or UUID.
    /// </summary>
    /// <exception cref="ArgumentException">The declared schema cannot be written.</exception>
    /// <exception cref="BatchSourceException">
    /// The source threw (inner exception), sent nothing within <see cref="BatchWriteOptions.IdleTimeout"/>,
    /// or sent a batch that contradicts <paramref name="schema"/> or a value DuckDB cannot convert.
    /// Nothing was committed.
    /// </exception>
    /// <exception cref="OperationCanceledException">The write was cancelled; nothing was committed.</exception>
    public Task<(SnapshotInfo Snapshot, long Rows)> WriteBatchesAsync(
        DatasetName dataset,
        Schema schema,
        IAsyncEnumerable<RecordBatch> batches,
        WriteMode mode,
        string origin,
        BatchWriteOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(options);
        ArrowBatchSchema.ValidateDeclared(schema);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.IdleTimeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.IdleTimeout, TimeSpan.FromDays(1), nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BufferedBatches, 1, nameof(options));
        return WriteFileAsync(
            dataset,
            mode,
            options.CreateOnly,
            origin,
            (connection, target, token) => CopyBatchesAsync(connection, target, dataset, schema, batches, options, token),
            cancellationToken,
            options.SkipEmptyAppend,
            options.BeforeCommit,
            options.ExpectedSnapshotId);
    }

    public void Dispose() => _kernel.Dispose();

    private async Task<SnapshotInfo?> TryGetCurrentAsync(DatasetName dataset, CancellationToken cancellationToken)
    {
        try
        {
            return (await _catalog.GetDatasetAsync(dataset, cancellationToken)).Current;
        }
        catch (CatalogException ex) when (ex.Error == CatalogError.NotFound)
        {
            return null;
        }
    }

    private static string CopyToParquet(string selectSql, string target) =>
        $"COPY (\n{selectSql}\n) TO {Sql.Literal(target)} (FORMAT parquet, COMPRESSION snappy)";

    /// <summary>
    /// The one path every write takes: <paramref name="writeParquet"/> writes the file on a kernel
    /// connection and returns its row count; then the file is made durable, stored, and committed as a
    /// snapshot. If anything fails before the commit, the file is deleted and the dataset is untouched.
    /// </summary>
    private async Task<(SnapshotInfo Snapshot, long Rows)> WriteFileAsync(
        DatasetName dataset,
        WriteMode mode,
        bool createOnly,
        string origin,
        Func<DuckDBConnection, string, CancellationToken, Task<long>> writeParquet,
        CancellationToken cancellationToken,
        bool skipEmptyAppend = false,
        Func<CancellationToken, Task>? beforeCommit = null,
        long? expectedSnapshotId = null)
    {
        var key = $"{ObjectKeys.Warehouse}{dataset.LayerName}/{dataset.Name}/{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}.parquet";
        var inPlace = _store.TryGetLocalPath(key);
        var target = inPlace ?? Path.Combine(_dataDirectory.TempFolder, Guid.NewGuid().ToString("N") + ".parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var stored = false;
        try
        {
            long rows;
            List<ColumnSchema> schema;
            using (var connection = _kernel.Open())
            {
                rows = await writeParquet(connection, target, cancellationToken);
                schema = ReadSchema(connection, target);
            }

            if (skipEmptyAppend && rows == 0 && mode == WriteMode.Append)
            {
                var existing = await TryGetCurrentAsync(dataset, cancellationToken);
                if (existing is not null)
                {
                    // Nothing to add to an existing dataset: no file, no new snapshot.
                    if (inPlace is not null)
                    {
                        File.Delete(target);
                    }

                    return (existing, 0);
                }
            }

            // DuckDB does not fsync what COPY wrote: make the file durable before a snapshot can name it.
            await using (var durable = new FileStream(target, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
            {
                durable.Flush(flushToDisk: true);
            }

            var bytes = new FileInfo(target).Length;
            if (inPlace is null)
            {
                await _store.PutFileAsync(key, target, cancellationToken);
                _files.Adopt(key, target);
            }

            stored = true;
            if (beforeCommit is not null)
            {
                await beforeCommit(cancellationToken);
            }

            var snapshot = await _catalog.CommitAsync(
                new CommitRequest(dataset, mode, [new DataFileInfo(key, rows, bytes)], schema, origin) { CreateOnly = createOnly, ExpectedSnapshotId = expectedSnapshotId },
                cancellationToken);
            return (snapshot, rows);
        }
        catch
        {
            await RemoveAsync(key, target, inPlace is null, stored);
            throw;
        }
        finally
        {
            if (inPlace is null)
            {
                File.Delete(target);
            }
        }
    }

    /// <summary>
    /// Registers the batches as an Arrow C stream view (<c>duckdb_arrow_scan</c>) and <c>COPY</c>s it to
    /// <paramref name="target"/>. The source runs on its own task; DuckDB pulls from the channel and
    /// never waits longer than the idle timeout, so a hung source cannot hold DuckDB or the caller.
    /// </summary>
    private async Task<long> CopyBatchesAsync(
        DuckDBConnection connection,
        string target,
        DatasetName dataset,
        Schema schema,
        IAsyncEnumerable<RecordBatch> batches,
        BatchWriteOptions options,
        CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<RecordBatch>(new BoundedChannelOptions(options.BufferedBatches)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var stopSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var source = Task.Run(() => PullAsync(schema, batches, channel.Writer, stopSource.Token), CancellationToken.None);
        var view = "arrow_stream_" + Guid.NewGuid().ToString("N");
        var written = false;
        var dropped = true;
        ArrowStreamFeed? feed = null;
        try
        {
            feed = new ArrowStreamFeed(schema, channel.Reader, options.IdleTimeout, cancellationToken);
            feed.Register(connection, view);
            try
            {
                var rows = await ExecuteAsync(
                    connection, CopyToParquet($"SELECT {ArrowBatchSchema.SelectList(schema)} FROM {Sql.Ident(view)}", target), cancellationToken);
                written = true;
                return rows;
            }
            catch (Exception ex) when (ex is DuckDBException or OperationCanceledException && feed.Failure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
                throw;
            }
            catch (DuckDBException ex) when (!cancellationToken.IsCancellationRequested && DuckDbErrors.Parse(ex.Message) is ("Conversion" or "Invalid Input", var message, _))
            {
                throw new BatchSourceException($"DuckDB could not write the batch stream: {message}", ex);
            }
            finally
            {
                dropped = DropView(connection, view);
            }
        }
        finally
        {
            if (dropped)
            {
                feed?.Dispose();
            }

            // else the view still points at the stream: it is leaked rather than freed under DuckDB.
            await StopSourceAsync(source, channel, stopSource, dataset, written);
        }
    }

    /// <summary>
    /// Stops the source and frees what it buffered. A source that does not stop within a short grace
    /// period (it ignores its token) is abandoned: it runs on unobserved and is logged, never awaited.
    /// </summary>
    private async Task StopSourceAsync(Task source, Channel<RecordBatch> channel, CancellationTokenSource stopSource, DatasetName dataset, bool written)
    {
        channel.Writer.TryComplete();
        await stopSource.CancelAsync();
        try
        {
            // After a successful write the source has already completed the channel: it is finishing.
            await source.WaitAsync(written ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(250), CancellationToken.None);
            stopSource.Dispose();
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("The batch source writing {Dataset} did not stop when asked; it is abandoned and left running in the background", dataset);
            _ = source.ContinueWith(
                _ =>
                {
                    stopSource.Dispose();
                    _logger.LogInformation("The abandoned batch source of {Dataset} has stopped", dataset);
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        finally
        {
            while (channel.Reader.TryRead(out var unread))
            {
                unread.Dispose();
            }
        }
    }

    private bool DropView(DuckDBConnection connection, string view)
    {
        try
        {
            using var drop = connection.CreateCommand();
            drop.CommandText = $"DROP VIEW IF EXISTS {Sql.Ident(view)}";
            drop.ExecuteNonQuery();
            return true;
        }
        catch (DuckDBException ex)
        {
            _logger.LogError(ex, "Could not drop the Arrow stream view {View}; its stream is leaked", view);
            return false;
        }
    }

    /// <summary>Reads the untrusted source into the channel, checking each batch against the declared schema.</summary>
    private static async Task PullAsync(Schema schema, IAsyncEnumerable<RecordBatch> batches, ChannelWriter<RecordBatch> writer, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            long index = 0;
            await foreach (var batch in batches.WithCancellation(cancellationToken))
            {
                index++;
                if (batch is null)
                {
                    throw new BatchSourceException($"Batch {index} is null.");
                }

                try
                {
                    if (ArrowBatchSchema.Check(schema, batch) is { } problem)
                    {
                        throw new BatchSourceException($"Batch {index} contradicts the stream schema: {problem}");
                    }

                    if (batch.Length > 0)
                    {
                        await writer.WriteAsync(batch, cancellationToken);
                        continue;
                    }
                }
                catch
                {
                    batch.Dispose();
                    throw;
                }

                batch.Dispose();
            }
        }
        catch (BatchSourceException ex)
        {
            failure = ex;
        }
        catch (ChannelClosedException)
        {
            // The write is over (failed or cancelled): nobody reads any more.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            failure = new OperationCanceledException(cancellationToken);
        }
        catch (Exception ex)
        {
            failure = new BatchSourceException($"The batch source failed: {ex.Message}", ex);
        }

        writer.TryComplete(failure);
    }

    private static async Task<long> ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var registration = cancellationToken.Register(command.Cancel);
        try
        {
            return await Task.Run(() => (long)command.ExecuteNonQuery(), cancellationToken);
        }
        catch (DuckDBException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private static List<ColumnSchema> ReadSchema(DuckDBConnection connection, string parquetPath) =>
        DuckDbSchema.Describe(connection, $"SELECT * FROM read_parquet({Sql.Literal(parquetPath)})", [])
            .Select(c => new ColumnSchema(c.Name, c.Type)).ToList();

    private async Task RemoveAsync(string key, string target, bool remote, bool stored)
    {
        try
        {
            if (!remote)
            {
                File.Delete(target);
            }
            else if (stored)
            {
                await _store.DeleteAsync(key, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Could not remove uncommitted file {Key}; vacuum will", key);
        }
    }
}
