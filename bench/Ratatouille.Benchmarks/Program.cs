using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.C;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using Microsoft.Extensions.DependencyInjection;
using Ratatouille.Catalog;
using Ratatouille.Catalog.Model;
using Ratatouille.Query;
using Ratatouille.Testing;

// Ratatouille against raw DuckDB.NET on the same data in the same run. Usage:
//   dotnet run -c Release --project bench/Ratatouille.Benchmarks [-- --large] [-- --extract-only]
// --large also measures the aggregate on a 30x enlargement of flights-3m (90M rows).
// --extract-only runs only the in-process Arrow extract measure (no server).
var large = args.Contains("--large");
var extractOnly = args.Contains("--extract-only");
var source = RepositoryPaths.Tool("vega-datasets", "data", "flights-3m.parquet");
var work = RepositoryPaths.NewTempFolder("bench");
var csv = Path.Combine(work, "flights-3m.csv");
var results = new List<(string Name, string Ratatouille, string Raw, string Ratio)>();
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// Extract: a connector-like Arrow source (5 columns, 10M rows generated as 64k-row batches while they are
// read) written by DatasetWriter.WriteBatchesAsync (source task + bounded channel, schema and layout checks,
// duckdb_arrow_scan → COPY to Parquet, fsync, commit). Baselines in the same process: the same batches
// through a bare duckdb_arrow_scan (Apache.Arrow's stream exporter, no kernel), and DuckDB generating the
// same five columns itself (no Arrow at all).
const int ExtractRows = 10_000_000;
const int ExtractBatch = 65_536;
{
    await using var kernel = await BenchKernel.StartAsync(Path.Combine(work, "extract"));
    var writer = kernel.Services.GetRequiredService<DatasetWriter>();
    var extractMs = Median(3, () =>
    {
        var t = Stopwatch.StartNew();
        var (_, written) = writer.WriteBatchesAsync(
            DatasetName.Parse("bronze.synthetic"), Synthetic.Schema, Synthetic.Batches(ExtractRows, ExtractBatch), WriteMode.Replace, "bench", BatchWriteOptions.Default, CancellationToken.None)
            .GetAwaiter().GetResult();
        var ms = t.Elapsed.TotalMilliseconds;
        if (written != ExtractRows)
        {
            throw new InvalidOperationException($"Extract wrote {written} rows, expected {ExtractRows}");
        }

        return ms;
    });
    var bareArrowMs = Median(3, () =>
    {
        using var duck = RawDuck();
        var t = Stopwatch.StartNew();
        var copied = Synthetic.CopyThroughBareArrowScan(duck, ExtractRows, ExtractBatch, Path.Combine(work, "bare-arrow.parquet"));
        var ms = t.Elapsed.TotalMilliseconds;
        if (copied != ExtractRows)
        {
            throw new InvalidOperationException($"Bare arrow_scan wrote {copied} rows, expected {ExtractRows}");
        }

        return ms;
    });
    var duckOnlyMs = Median(3, () =>
    {
        using var duck = RawDuck();
        var t = Stopwatch.StartNew();
        Execute(duck, $"COPY (SELECT range AS id, range * 0.5 AS amount, 'name-' || range AS name, to_timestamp(range) AS at, range % 2 = 0 AS flag FROM range({ExtractRows})) TO '{Path.Combine(work, "duck-only.parquet")}' (FORMAT parquet, COMPRESSION snappy)");
        return t.Elapsed.TotalMilliseconds;
    });
    string RowsPerSecond(double ms) => $"{ExtractRows / ms * 1000 / 1e6:0.00} M rows/s";
    results.Add(($"Extract: 5-column synthetic Arrow source → bronze (10M rows, 64k-row batches; raw = same batches, bare duckdb_arrow_scan → Parquet)", $"{RowsPerSecond(extractMs)} ({extractMs:0} ms)", $"{RowsPerSecond(bareArrowMs)} ({bareArrowMs:0} ms)", $"{bareArrowMs / extractMs:0.00} of raw (target ≥ 1 M rows/s)"));
    results.Add(("Extract baseline: DuckDB generating the same 5 columns → Parquet (no Arrow)", "—", $"{RowsPerSecond(duckOnlyMs)} ({duckOnlyMs:0} ms)", "—"));
}

if (extractOnly)
{
    PrintResults(results);
    Directory.Delete(work, recursive: true);
    return;
}

using (var duck = RawDuck())
{
    Execute(duck, $"COPY (SELECT * FROM read_parquet('{source}')) TO '{csv}' (FORMAT csv, HEADER)");
    if (large)
    {
        Execute(duck, $"COPY (SELECT f.* FROM read_parquet('{source}') f, range(30)) TO '{Path.Combine(work, "flights-90m.parquet")}' (FORMAT parquet)");
    }
}

// Start-to-ready: first start on an empty data directory (what `dotnet run` does on a new install: the
// setup page answers), then a restart on that directory; then the benchmark server itself.
var startDir = Path.Combine(work, "start");
foreach (var (label, attempt) in new[] { ("Start to ready, first start (empty data dir)", 0), ("Start to ready, restart (existing data dir)", 1) })
{
    var t = Stopwatch.StartNew();
    await using (await ServerProcess.StartAsync(startDir, createAdmin: false))
    {
        results.Add((label, $"{t.Elapsed.TotalMilliseconds:0} ms", "—", "target ≤ 3000 ms"));
    }
}

var sw = Stopwatch.StartNew();
var server = await ServerProcess.StartAsync(Path.Combine(work, "data"), new Dictionary<string, string>
{
    ["Query__MaxRowLimit"] = "100000000",
    ["Query__Timeout"] = "00:10:00",
    ["Ingest__MaxUploadMb"] = "20000",
});
var startMs = sw.Elapsed.TotalMilliseconds;
await Task.Delay(3000);
var idleRss = RssMb(server.ProcessId);
results.Add(("Start to ready, empty data dir + creating the admin from the environment", $"{startMs:0} ms", "—", "one-off (PBKDF2 hash, key ring)"));
results.Add(("Idle RSS after start", $"{idleRss:0} MB", "—", "target ≤ 300 MB"));

using var http = await server.CreateClientAsync();

// CSV upload → bronze vs DuckDB read_csv + COPY to Parquet.
var uploadMs = Median(3, () => Upload(http, csv, "bronze", "flights_csv", "replace"));
var rawCsvMs = Median(3, () =>
{
    using var duck = RawDuck();
    var t = Stopwatch.StartNew();
    Execute(duck, $"COPY (SELECT * FROM read_csv('{csv}')) TO '{Path.Combine(work, "raw.parquet")}' (FORMAT parquet, COMPRESSION snappy)");
    return t.Elapsed.TotalMilliseconds;
});
results.Add(($"CSV upload → bronze ({new FileInfo(csv).Length / 1048576} MB, 3M rows)", $"{uploadMs:0} ms", $"{rawCsvMs:0} ms", $"{uploadMs / rawCsvMs:0.00} (target ≤ 1.25)"));

Upload(http, source, "bronze", "flights", "replace");
var aggregate = "SELECT origin, count(*) AS n, avg(delay) AS delay, sum(distance) AS distance FROM {0} GROUP BY origin ORDER BY n DESC";
// The baseline keeps one warm DuckDB connection across runs, as the server does.
using var warm = RawDuck();
var apiAggMs = Median(7, () => Query(http, string.Format(CultureInfo.InvariantCulture, aggregate, "bronze.flights"), "application/json"));
var rawAggMs = Median(7, () => RawQuery(warm, string.Format(CultureInfo.InvariantCulture, aggregate, $"read_parquet('{source}')")));
results.Add(("Aggregate via POST /api/v1/query (3M rows)", $"{apiAggMs:0.0} ms", $"{rawAggMs:0.0} ms", $"{apiAggMs / rawAggMs:0.00} (target ≤ 1.10)"));

if (large)
{
    Upload(http, Path.Combine(work, "flights-90m.parquet"), "bronze", "flights_90m", "replace");
    var apiLarge = Median(3, () => Query(http, string.Format(CultureInfo.InvariantCulture, aggregate, "bronze.flights_90m"), "application/json"));
    var rawLarge = Median(3, () => RawQuery(warm, string.Format(CultureInfo.InvariantCulture, aggregate, $"read_parquet('{Path.Combine(work, "flights-90m.parquet")}')")));
    results.Add(("Aggregate via POST /api/v1/query (90M rows, 30x)", $"{apiLarge:0} ms", $"{rawLarge:0} ms", $"{apiLarge / rawLarge:0.00} (target ≤ 1.10)"));
}

// Export throughput: every row of the 3M-row dataset, against DuckDB's own reader over the same file.
var rows = 3_000_000.0;
var rawReaderMs = Median(5, () => RawRead($"SELECT * FROM read_parquet('{source}')"));
results.Add(("Raw DuckDB.NET reader, all rows (baseline)", "—", $"{rows / rawReaderMs * 1000 / 1e6:0.00} M rows/s", "—"));
foreach (var (format, accept, target) in new[] { ("JSON", "application/json", (double?)0.5), ("CSV", "text/csv", null), ("Parquet", "application/vnd.apache.parquet", 0.8), ("Arrow IPC", "application/vnd.apache.arrow.stream", 0.8) })
{
    var sql = "SELECT * FROM bronze.flights";
    var ms = Median(5, () => Query(http, sql, accept, limit: format == "JSON" ? 3_000_000 : null));
    results.Add(($"Export {format}, all 3M rows", $"{rows / ms * 1000 / 1e6:0.00} M rows/s", $"{rows / rawReaderMs * 1000 / 1e6:0.00} M rows/s", $"{rawReaderMs / ms:0.00}" + (target is { } t ? $" (target ≥ {t})" : " (no target)")));
}

// Data API: pages of 100 rows at random offsets of a 1M-row dataset.
Query(http, "SELECT 1", "application/json");
using (var duck = RawDuck())
{
    Execute(duck, $"COPY (SELECT * FROM read_parquet('{source}') LIMIT 1000000) TO '{Path.Combine(work, "flights-1m.parquet")}' (FORMAT parquet)");
}

Upload(http, Path.Combine(work, "flights-1m.parquet"), "silver", "flights_1m", "replace");
var random = new Random(1);
var latencies = new List<double>();
for (var i = 0; i < 300; i++)
{
    var offset = random.Next(0, 999_900);
    var t = Stopwatch.StartNew();
    using var page = await http.GetAsync($"/api/v1/datasets/silver/flights_1m/rows?limit=100&offset={offset}");
    page.EnsureSuccessStatusCode();
    await page.Content.ReadAsByteArrayAsync();
    if (i >= 20)
    {
        latencies.Add(t.Elapsed.TotalMilliseconds);
    }
}

latencies.Sort();
results.Add(("Data API page (100 rows, random offset, 1M rows): p50", $"{latencies[latencies.Count / 2]:0.0} ms", "—", "—"));
results.Add(("Data API page (100 rows, random offset, 1M rows): p95", $"{latencies[(int)(latencies.Count * 0.95)]:0.0} ms", "—", "target ≤ 50 ms"));
var filtered = new List<double>();
for (var i = 0; i < 100; i++)
{
    var t = Stopwatch.StartNew();
    using var page = await http.GetAsync($"/api/v1/datasets/silver/flights_1m/rows?limit=100&filter=origin:eq:SFO&orderBy=delay:desc");
    page.EnsureSuccessStatusCode();
    await page.Content.ReadAsByteArrayAsync();
    filtered.Add(t.Elapsed.TotalMilliseconds);
}

filtered.Sort();
results.Add(("Data API page, filter + order by (1M rows): p95", $"{filtered[95]:0.0} ms", "—", "target ≤ 50 ms"));
results.Add(("RSS after the run", $"{RssMb(server.ProcessId):0} MB", "—", "—"));
await server.DisposeAsync();

PrintResults(results);
Directory.Delete(work, recursive: true);
return;

static void PrintResults(List<(string Name, string Ratatouille, string Raw, string Ratio)> results)
{
    Console.WriteLine($"| Measure | Ratatouille | Raw DuckDB | Ratio |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var r in results)
    {
        Console.WriteLine($"| {r.Name} | {r.Ratatouille} | {r.Raw} | {r.Ratio} |");
    }
}

static DuckDBConnection RawDuck()
{
    var connection = new DuckDBConnection("DataSource=:memory:");
    connection.Open();
    Execute(connection, $"SET threads={Environment.ProcessorCount}; SET memory_limit='2GB'; SET preserve_insertion_order=true;");
    return connection;
}

static void Execute(DuckDBConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

static double RawQuery(DuckDBConnection duck, string sql)
{
    var t = Stopwatch.StartNew();
    using var command = duck.CreateCommand();
    command.CommandText = sql;
    command.UseStreamingMode = true;
    using var reader = command.ExecuteReader();
    var values = new object[reader.FieldCount];
    while (reader.Read())
    {
        reader.GetValues(values);
    }

    return t.Elapsed.TotalMilliseconds;
}

static double RawRead(string sql)
{
    using var duck = RawDuck();
    return RawQuery(duck, sql);
}

static double Upload(HttpClient http, string path, string layer, string name, string mode)
{
    var t = Stopwatch.StartNew();
    using var file = File.OpenRead(path);
    using var content = new MultipartFormDataContent { { new StreamContent(file), "file", Path.GetFileName(path) } };
    using var response = http.PostAsync($"/api/v1/datasets/{layer}/{name}/upload?mode={mode}", content).GetAwaiter().GetResult();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }

    return t.Elapsed.TotalMilliseconds;
}

static double Query(HttpClient http, string sql, string accept, int? limit = null)
{
    var t = Stopwatch.StartNew();
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/query") { Content = JsonContent.Create(new { sql, limit }) };
    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
    using var response = http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }

    using var body = response.Content.ReadAsStream();
    var buffer = new byte[1 << 16];
    while (body.Read(buffer, 0, buffer.Length) > 0)
    {
    }

    return t.Elapsed.TotalMilliseconds;
}

static double Median(int runs, Func<double> measure)
{
    measure(); // warm-up
    var samples = Enumerable.Range(0, runs).Select(_ => measure()).Order().ToList();
    return samples[samples.Count / 2];
}

static double RssMb(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

/// <summary>The kernel (catalog, local store, DatasetWriter) in this process, wired as the server wires it.</summary>
internal sealed class BenchKernel : IAsyncDisposable
{
    private BenchKernel(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public static async Task<BenchKernel> StartAsync(string root)
    {
        var provider = new ServiceCollection().AddLocalKernel(root).BuildServiceProvider();
        await provider.InitializeLocalKernelAsync(CancellationToken.None);
        return new BenchKernel(provider);
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}

/// <summary>A synthetic connector: int64 id, double amount, utf8 name, timestamp(us, UTC) at, bool flag.</summary>
internal static unsafe partial class Synthetic
{
    private static readonly TimestampType At = new(TimeUnit.Microsecond, "UTC");

    public static Schema Schema { get; } = new Schema.Builder()
        .Field(f => f.Name("id").DataType(Int64Type.Default).Nullable(false))
        .Field(f => f.Name("amount").DataType(DoubleType.Default))
        .Field(f => f.Name("name").DataType(StringType.Default))
        .Field(f => f.Name("at").DataType(At))
        .Field(f => f.Name("flag").DataType(BooleanType.Default))
        .Build();

    /// <summary>Batches generated as they are read, as a connector would produce them.</summary>
    public static async IAsyncEnumerable<RecordBatch> Batches(long rows, int batchRows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (long start = 0; start < rows; start += batchRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Batch(start, (int)Math.Min(batchRows, rows - start));
        }

        await Task.CompletedTask;
    }

    /// <summary>One batch, written straight into managed buffers (Arrow's per-value builders cost more than the whole write).</summary>
    public static RecordBatch Batch(long start, int length)
    {
        var ids = new byte[length * sizeof(long)];
        var amounts = new byte[length * sizeof(double)];
        var ats = new byte[length * sizeof(long)];
        var flags = new byte[(length + 7) / 8];
        var offsets = new byte[(length + 1) * sizeof(int)];
        var text = new byte[length * 25];
        var id = MemoryMarshal.Cast<byte, long>(ids.AsSpan());
        var amount = MemoryMarshal.Cast<byte, double>(amounts.AsSpan());
        var at = MemoryMarshal.Cast<byte, long>(ats.AsSpan());
        var offset = MemoryMarshal.Cast<byte, int>(offsets.AsSpan());
        var end = 0;
        for (var row = 0; row < length; row++)
        {
            var i = start + row;
            id[row] = i;
            amount[row] = i * 0.5;
            at[row] = i * 1_000_000;
            if (i % 2 == 0)
            {
                flags[row >> 3] |= (byte)(1 << (row & 7));
            }

            "name-"u8.CopyTo(text.AsSpan(end));
            i.TryFormat(text.AsSpan(end + 5), out var digits, default, CultureInfo.InvariantCulture);
            end += 5 + digits;
            offset[row + 1] = end;
        }

        return new RecordBatch(Schema,
        [
            new Int64Array(new ArrowBuffer(ids), ArrowBuffer.Empty, length, 0, 0),
            new DoubleArray(new ArrowBuffer(amounts), ArrowBuffer.Empty, length, 0, 0),
            new StringArray(length, new ArrowBuffer(offsets), new ArrowBuffer(text.AsMemory(0, end)), ArrowBuffer.Empty, 0, 0),
            new TimestampArray(At, new ArrowBuffer(ats), ArrowBuffer.Empty, length, 0, 0),
            new BooleanArray(new ArrowBuffer(flags), ArrowBuffer.Empty, length, 0, 0),
        ], length);
    }

    /// <summary>The baseline: the same batches exported with Apache.Arrow's C stream exporter and copied by a bare duckdb_arrow_scan view.</summary>
    public static long CopyThroughBareArrowScan(DuckDBConnection connection, long rows, int batchRows, string target)
    {
        var stream = CArrowArrayStream.Create();
        try
        {
            CArrowArrayStreamExporter.ExportArrayStream(new GeneratedStream(rows, batchRows), stream);
            if (ArrowScan(connection.NativeConnection, "bare_arrow", stream) != DuckDBState.Success)
            {
                throw new InvalidOperationException("duckdb_arrow_scan failed");
            }

            using var command = connection.CreateCommand();
            command.CommandText = $"COPY (SELECT * FROM bare_arrow) TO '{target}' (FORMAT parquet, COMPRESSION snappy); ";
            var copied = (long)command.ExecuteNonQuery();
            command.CommandText = "DROP VIEW bare_arrow";
            command.ExecuteNonQuery();
            return copied;
        }
        finally
        {
            CArrowArrayStream.Free(stream); // duckdb_arrow_scan never releases the stream: the caller does
        }
    }

    [LibraryImport("duckdb", EntryPoint = "duckdb_arrow_scan", StringMarshalling = StringMarshalling.Utf8)]
    private static partial DuckDBState ArrowScan(DuckDBNativeConnection connection, string tableName, CArrowArrayStream* stream);

    private sealed class GeneratedStream(long rows, int batchRows) : IArrowArrayStream
    {
        private long _next;

        public Schema Schema => Synthetic.Schema;

        public ValueTask<RecordBatch?> ReadNextRecordBatchAsync(CancellationToken cancellationToken = default)
        {
            if (_next >= rows)
            {
                return ValueTask.FromResult<RecordBatch?>(null);
            }

            var batch = Batch(_next, (int)Math.Min(batchRows, rows - _next));
            _next += batch.Length;
            return ValueTask.FromResult<RecordBatch?>(batch);
        }

        public void Dispose()
        {
        }
    }
}
