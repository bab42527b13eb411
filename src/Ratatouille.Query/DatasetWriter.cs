using System.Globalization;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratatouille.Catalog;
using Ratatouille.Catalog.Model;
using Ratatouille.Storage;

namespace Ratatouille.Query;

/// <summary>
/// Writes the result of a kernel-built SELECT into a new immutable Parquet file with DuckDB's
/// <c>COPY</c>, stores it, and commits it as a snapshot. If anything fails before the commit,
/// the file is deleted and the dataset is untouched; if the process dies, the file is an
/// orphan that vacuum removes.
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
    public async Task<(SnapshotInfo Snapshot, long Rows)> WriteAsync(
        DatasetName dataset, string selectSql, WriteMode mode, bool createOnly, string origin, CancellationToken cancellationToken)
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
                rows = await ExecuteAsync(connection, $"COPY (\n{selectSql}\n) TO {Sql.Literal(target)} (FORMAT parquet, COMPRESSION snappy)", cancellationToken);
                schema = ReadSchema(connection, target);
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
            var snapshot = await _catalog.CommitAsync(
                new CommitRequest(dataset, mode, [new DataFileInfo(key, rows, bytes)], schema, origin) { CreateOnly = createOnly },
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

    public void Dispose() => _kernel.Dispose();

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
