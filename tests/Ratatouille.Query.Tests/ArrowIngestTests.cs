using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Arrays;
using Apache.Arrow.Types;
using Microsoft.Extensions.DependencyInjection;
using Ratatouille.Catalog;
using Ratatouille.Catalog.Model;
using Ratatouille.Testing;

namespace Ratatouille.Query.Tests;

/// <summary><see cref="DatasetWriter.WriteBatchesAsync"/>: Arrow batches → DuckDB arrow scan → Parquet → snapshot, on the real kernel.</summary>
public sealed class ArrowIngestTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Json = new() { ["ratatouille.type"] = "json" };
    private static readonly Dictionary<string, string> Uuid = new() { ["ratatouille.type"] = "uuid" };

    private string _root = null!;
    private ServiceProvider _services = null!;

    private DatasetWriter Writer => _services.GetRequiredService<DatasetWriter>();

    private CatalogService Catalog => _services.GetRequiredService<CatalogService>();

    private QueryEngine Engine => _services.GetRequiredService<QueryEngine>();

    // The kernel wired as KernelHarness wires it, keeping the data folder and the writer at hand.
    public async Task InitializeAsync()
    {
        _root = RepositoryPaths.NewTempFolder("arrow");
        _services = new ServiceCollection().AddLocalKernel(_root).BuildServiceProvider();
        await _services.InitializeLocalKernelAsync(TestTimeout.Token);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task AllTypes_RoundTrip_WithNulls_JsonAndUuidCasts()
    {
        var schema = new Schema.Builder()
            .Field(f => f.Name("id").DataType(Int64Type.Default).Nullable(false))
            .Field(f => f.Name("flag").DataType(BooleanType.Default))
            .Field(f => f.Name("i8").DataType(Int8Type.Default))
            .Field(f => f.Name("i16").DataType(Int16Type.Default))
            .Field(f => f.Name("i32").DataType(Int32Type.Default))
            .Field(f => f.Name("u64").DataType(UInt64Type.Default))
            .Field(f => f.Name("f32").DataType(FloatType.Default))
            .Field(f => f.Name("f64").DataType(DoubleType.Default))
            .Field(f => f.Name("amount").DataType(new Decimal128Type(18, 2)))
            .Field(f => f.Name("name").DataType(StringType.Default))
            .Field(f => f.Name("large_name").DataType(LargeStringType.Default))
            .Field(f => f.Name("bytes").DataType(BinaryType.Default))
            .Field(f => f.Name("day").DataType(Date32Type.Default))
            .Field(f => f.Name("local_at").DataType(new TimestampType(TimeUnit.Microsecond, (string?)null)))
            .Field(f => f.Name("at").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")))
            .Field(f => f.Name("at_ms").DataType(new TimestampType(TimeUnit.Millisecond, "UTC")))
            .Field(f => f.Name("tags").DataType(new ListType(Int64Type.Default)))
            .Field(f => f.Name("point").DataType(new StructType([new Field("x", Int32Type.Default, true), new Field("label", StringType.Default, true)])))
            .Field(f => f.Name("doc").DataType(StringType.Default).Metadata(Json))
            .Field(f => f.Name("uid").DataType(StringType.Default).Metadata(Uuid))
            .Field(f => f.Name("uid_bytes").DataType(new FixedSizeBinaryType(16)).Metadata(Uuid))
            .Build();
        var guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var at = new DateTimeOffset(2024, 3, 10, 12, 34, 56, 789, TimeSpan.Zero).AddTicks(1230); // .789123
        var tags = new ListArray.Builder(Int64Type.Default);
        var tagValues = (Int64Array.Builder)tags.ValueBuilder;
        tags.Append();
        tagValues.Append(1).Append(2).AppendNull();
        tags.AppendNull();
        tags.Append(); // empty list

        var batch = new RecordBatch(schema,
        [
            new Int64Array.Builder().Append(1).Append(2).Append(3).Build(),
            new BooleanArray.Builder().Append(true).AppendNull().Append(false).Build(),
            new Int8Array.Builder().Append(-8).AppendNull().Append(8).Build(),
            new Int16Array.Builder().Append(-16).AppendNull().Append(16).Build(),
            new Int32Array.Builder().Append(-32).AppendNull().Append(32).Build(),
            new UInt64Array.Builder().Append(ulong.MaxValue).AppendNull().Append(0).Build(),
            new FloatArray.Builder().Append(1.5f).AppendNull().Append(-0.25f).Build(),
            new DoubleArray.Builder().Append(0.1).AppendNull().Append(double.NaN).Build(),
            new Decimal128Array.Builder(new Decimal128Type(18, 2)).Append(1234567890123456.78m).AppendNull().Append(-0.05m).Build(),
            new StringArray.Builder().Append("héllo ✓").AppendNull().Append(string.Empty).Build(),
            new LargeStringArray.Builder().Append("large").AppendNull().Append("x").Build(),
            new BinaryArray.Builder().Append([0, 1, 255]).AppendNull().Append(System.Array.Empty<byte>()).Build(),
            new Date32Array.Builder().Append(new DateOnly(1999, 12, 31)).AppendNull().Append(new DateOnly(1970, 1, 1)).Build(),
            new TimestampArray.Builder(TimeUnit.Microsecond).Append(at).AppendNull().Append(DateTimeOffset.UnixEpoch).Build(),
            new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC")).Append(at).AppendNull().Append(DateTimeOffset.UnixEpoch).Build(),
            new TimestampArray.Builder(new TimestampType(TimeUnit.Millisecond, "UTC")).Append(at).AppendNull().Append(DateTimeOffset.UnixEpoch).Build(),
            tags.Build(),
            Struct(
                (StructType)schema.FieldsList[17].DataType,
                [new Int32Array.Builder().Append(7).Append(0).AppendNull().Build(), new StringArray.Builder().Append("p").Append("ignored").AppendNull().Build()],
                [true, false, true]),
            new StringArray.Builder().Append("""{"a": [1, 2], "b": null}""").AppendNull().Append("3").Build(),
            new StringArray.Builder().Append(guid.ToString()).AppendNull().Append("00000000-0000-0000-0000-000000000000").Build(),
            FixedSizeBinary(16, [guid.ToByteArray(bigEndian: true), null, new byte[16]]),
        ], 3);

        var (snapshot, rows) = await Writer.WriteBatchesAsync(DatasetName.Parse("bronze.types"), schema, Batches(batch), WriteMode.Replace, "test", BatchWriteOptions.Default, TestTimeout.Token);

        Assert.Equal(3, rows);
        Assert.Equal(3, snapshot.RowCount);
        Assert.Equal(
            ["BIGINT", "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL(18,2)", "VARCHAR", "VARCHAR", "BLOB", "DATE",
             "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE", "BIGINT[]", "STRUCT(x INTEGER, \"label\" VARCHAR)", "JSON", "UUID", "UUID"],
            snapshot.Schema.Select(c => c.Type).ToArray());
        Assert.Equal(schema.FieldsList.Select(f => f.Name), snapshot.Schema.Select(c => c.Name));

        using var doc = await QueryJsonAsync("""
            SELECT id, flag, i8, i16, i32, u64::VARCHAR, f32, f64::VARCHAR, amount::VARCHAR, name, large_name, hex(bytes), day::VARCHAR,
                   local_at::VARCHAR, "at"::VARCHAR, at_ms::VARCHAR, tags, point, doc, uid::VARCHAR, uid_bytes::VARCHAR,
                   typeof(doc), typeof(uid), typeof(uid_bytes), doc->>'$.a[1]'
            FROM bronze.types ORDER BY id
            """);
        var all = doc.RootElement.GetProperty("rows");
        var first = all[0];
        Assert.Equal(1, first[0].GetInt64());
        Assert.True(first[1].GetBoolean());
        Assert.Equal(-8, first[2].GetInt32());
        Assert.Equal(-16, first[3].GetInt32());
        Assert.Equal(-32, first[4].GetInt32());
        Assert.Equal("18446744073709551615", first[5].GetString());
        Assert.Equal(1.5, first[6].GetDouble());
        Assert.Equal("0.1", first[7].GetString());
        Assert.Equal("1234567890123456.78", first[8].GetString());
        Assert.Equal("héllo ✓", first[9].GetString());
        Assert.Equal("large", first[10].GetString());
        Assert.Equal("0001FF", first[11].GetString());
        Assert.Equal("1999-12-31", first[12].GetString());
        Assert.Equal("2024-03-10 12:34:56.789123", first[13].GetString());
        Assert.Equal("2024-03-10 12:34:56.789123+00", first[14].GetString());
        Assert.Equal("2024-03-10 12:34:56.789+00", first[15].GetString());
        Assert.Equal("[1,2,null]", first[16].GetRawText());
        Assert.Equal("""{"x":7,"label":"p"}""", first[17].GetRawText());
        Assert.Equal("2", first[24].GetString());
        Assert.Equal(guid.ToString(), first[19].GetString());
        Assert.Equal(guid.ToString(), first[20].GetString());
        Assert.Equal(["JSON", "UUID", "UUID"], new[] { first[21].GetString()!, first[22].GetString()!, first[23].GetString()! });

        var second = all[1];
        foreach (var column in new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 })
        {
            Assert.True(second[column].ValueKind == JsonValueKind.Null, $"column {column} of row 2 should be null but is {second[column].GetRawText()}");
        }

        var third = all[2];
        Assert.EndsWith("nan", third[7].GetString(), StringComparison.OrdinalIgnoreCase); // .NET NaN has the sign bit set: DuckDB prints -nan
        Assert.Equal("-0.05", third[8].GetString());
        Assert.Equal(string.Empty, third[9].GetString());
        Assert.Equal(string.Empty, third[11].GetString());
        Assert.Equal("1970-01-01 00:00:00", third[13].GetString());
        Assert.Equal("[]", third[16].GetRawText());
        Assert.Equal("""{"x":null,"label":null}""", third[17].GetRawText());
        Assert.Equal("00000000-0000-0000-0000-000000000000", third[20].GetString());
    }

    [Fact]
    public async Task MoreNaturalTypes_LargeBinaryDate64Time64LargeListUnsigned()
    {
        var schema = new Schema.Builder()
            .Field(f => f.Name("lb").DataType(LargeBinaryType.Default))
            .Field(f => f.Name("d64").DataType(Date64Type.Default))
            .Field(f => f.Name("t").DataType(new Time64Type(TimeUnit.Microsecond)))
            .Field(f => f.Name("ll").DataType(new LargeListType(StringType.Default)))
            .Field(f => f.Name("u8").DataType(UInt8Type.Default))
            .Build();
        var list = new LargeListArray.Builder(StringType.Default);
        list.Append();
        ((StringArray.Builder)list.ValueBuilder).Append("a").Append("b");
        var batch = new RecordBatch(schema,
        [
            new LargeBinaryArray.Builder().Append([1, 2]).Build(),
            new Date64Array.Builder().Append(new DateOnly(2020, 2, 29)).Build(),
            new Time64Array.Builder(TimeUnit.Microsecond).Append(new TimeOnly(23, 59, 58, 123)).Build(),
            list.Build(),
            new UInt8Array.Builder().Append(255).Build(),
        ], 1);

        var (snapshot, _) = await Writer.WriteBatchesAsync(DatasetName.Parse("bronze.more"), schema, Batches(batch), WriteMode.Replace, "test", BatchWriteOptions.Default, TestTimeout.Token);

        Assert.Equal(["BLOB", "DATE", "TIME", "VARCHAR[]", "UTINYINT"], snapshot.Schema.Select(c => c.Type).ToArray());
        using var doc = await QueryJsonAsync("SELECT hex(lb), d64::VARCHAR, t::VARCHAR, ll, u8 FROM bronze.more");
        var row = doc.RootElement.GetProperty("rows")[0];
        Assert.Equal("0102", row[0].GetString());
        Assert.Equal("2020-02-29", row[1].GetString());
        Assert.Equal("23:59:58.123", row[2].GetString());
        Assert.Equal("""["a","b"]""", row[3].GetRawText());
        Assert.Equal(255, row[4].GetInt32());
    }

    [Fact]
    public async Task EmptyStream_CommitsAnEmptyDatasetWithTheDeclaredColumns()
    {
        var schema = FiveColumns();
        await Writer.WriteBatchesAsync(DatasetName.Parse("bronze.refresh"), schema, Batches(FiveColumnBatch(schema, 0, 10)), WriteMode.Replace, "test", BatchWriteOptions.Default, TestTimeout.Token);

        var (snapshot, rows) = await Writer.WriteBatchesAsync(DatasetName.Parse("bronze.refresh"), schema, Batches(), WriteMode.Replace, "test", BatchWriteOptions.Default, TestTimeout.Token);

        Assert.Equal(0, rows);
        Assert.Equal(0, snapshot.RowCount);
        Assert.Equal(["BIGINT", "DOUBLE", "VARCHAR", "TIMESTAMP WITH TIME ZONE", "BOOLEAN"], snapshot.Schema.Select(c => c.Type).ToArray());
        using var doc = await QueryJsonAsync("SELECT count(*) FROM bronze.refresh");
        Assert.Equal(0, doc.RootElement.GetProperty("rows")[0][0].GetInt64());
    }

    [Fact]
    public async Task SourceThatThrowsMidStream_FailsWithItsMessage_NothingCommitted_NoFileLeft()
    {
        var schema = FiveColumns();
        await Writer.WriteBatchesAsync(DatasetName.Parse("bronze.flaky"), schema, Batches(FiveColumnBatch(schema, 0, 5)), WriteMode.Append, "test", BatchWriteOptions.Default, TestTimeout.Token);
        var filesBefore = ParquetFiles();

        async IAsyncEnumerable<RecordBatch> Throwing()
        {
            yield return FiveColumnBatch(schema, 100, 1000);
            yield return FiveColumnBatch(schema, 1100, 1000);
            await Task.Yield();
            throw new InvalidOperationException("the API returned 502 Bad Gateway");
        }

        var ex = await Assert.ThrowsAsync<BatchSourceException>(() =>
            Writer.WriteBatchesAsync(DatasetName.Parse("bronze.flaky"), schema, Throwing(), WriteMode.Append, "test", BatchWriteOptions.Default, TestTimeout.Token));

        Assert.Contains("the API returned 502 Bad Gateway", ex.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        await AssertUnchangedAsync("bronze.flaky", 5, filesBefore);
    }

    [Fact]
    public async Task SourceThatHangsIgnoringItsToken_FailsAfterTheIdleTimeout_AndTheNextWriteWorks()
    {
        var schema = FiveColumns();
        var never = new TaskCompletionSource();
        async IAsyncEnumerable<RecordBatch> Hanging()
        {
            yield return FiveColumnBatch(schema, 0, 100);
            await never.Task; // ignores the token
            yield return FiveColumnBatch(schema, 100, 100);
        }

        try
        {
            var clock = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<BatchSourceException>(() =>
                Writer.WriteBatchesAsync(DatasetName.Parse("bronze.hung"), schema, Hanging(), WriteMode.Append, "test", new BatchWriteOptions { IdleTimeout = TimeSpan.FromSeconds(1) }, TestTimeout.Token));

            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
            Assert.Contains("idle timeout", ex.Message, StringComparison.Ordinal);
            await AssertUnchangedAsync("bronze.hung", null, []);

            // A source blocking its thread (deliberately synchronous, as a badly written plugin would) before the first batch: same outcome.
            async IAsyncEnumerable<RecordBatch> Blocking()
            {
                await Task.Yield();
                never.Task.Wait();
                yield return FiveColumnBatch(schema, 0, 1);
            }

            clock.Restart();
            await Assert.ThrowsAsync<BatchSourceException>(() =>
                Writer.WriteBatchesAsync(DatasetName.Parse("bronze.hung"), schema, Blocking(), WriteMode.Append, "test", new BatchWriteOptions { IdleTimeout = TimeSpan.FromSeconds(1) }, TestTimeout.Token));
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));

            var (_, rows) = await Writer.WriteBatchesAsync(DatasetName.Parse("bronze.hung"), schema, Batches(FiveColumnBatch(schema, 0, 42)), WriteMode.Append, "test", BatchWriteOptions.Default, TestTimeout.Token);
            Assert.Equal(42, rows);
        }
        finally
        {
            never.SetResult(); // let the abandoned sources end
        }
    }

    [Fact]
    public async Task Cancellation_ThrowsOperationCanceled_RemovesTheFile_CommitsNothing()
    {
        var schema = FiveColumns();
        var never = new TaskCompletionSource();
        async IAsyncEnumerable<RecordBatch> Slow(bool honourToken, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return FiveColumnBatch(schema, 0, 1000);
            if (honourToken)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            else
            {
                await never.Task;
            }

            yield return FiveColumnBatch(schema, 1000, 1000);
        }

        try
        {
            foreach (var honourToken in new[] { true, false })
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                var clock = Stopwatch.StartNew();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                    Writer.WriteBatchesAsync(DatasetName.Parse("bronze.cancelled"), schema, Slow(honourToken), WriteMode.Append, "test", BatchWriteOptions.Default, cancel.Token));
                Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
                await AssertUnchangedAsync("bronze.cancelled", null, []);
            }
        }
        finally
        {
            never.SetResult();
        }
    }

    [Fact]
    public async Task BatchContradictingTheSchema_FailsWithAClearMessage()
    {
        var schema = new Schema.Builder()
            .Field(f => f.Name("id").DataType(Int64Type.Default).Nullable(false))
            .Field(f => f.Name("amount").DataType(new Decimal128Type(18, 2)))
            .Build();
        var good = new RecordBatch(schema, [new Int64Array.Builder().Append(1).Build(), new Decimal128Array.Builder(new Decimal128Type(18, 2)).Append(1.5m).Build()], 1);
        var wrongSchema = new Schema.Builder()
            .Field(f => f.Name("id").DataType(Int64Type.Default).Nullable(false))
            .Field(f => f.Name("amount").DataType(StringType.Default))
            .Build();
        RecordBatch Good() => new(schema, [new Int64Array.Builder().Append(1).Build(), new Decimal128Array.Builder(new Decimal128Type(18, 2)).Append(1.5m).Build()], 1);
        var bad = new RecordBatch(wrongSchema, [new Int64Array.Builder().Append(3).Build(), new StringArray.Builder().Append("12.50").Build()], 1);

        var ex = await Assert.ThrowsAsync<BatchSourceException>(() =>
            Writer.WriteBatchesAsync(DatasetName.Parse("bronze.strict"), schema, Batches(good, Good(), bad, Good()), WriteMode.Append, "test", BatchWriteOptions.Default, TestTimeout.Token));

        Assert.Equal("Batch 3 contradicts the stream schema: column 'amount' is Utf8, declared Decimal128(18,2)", ex.Message);
        await AssertUnchangedAsync("bronze.strict", null, []);

        var nullId = new RecordBatch(schema, [new Int64Array.Builder().Append(1).AppendNull().Build(), new Decimal128Array.Builder(new Decimal128Type(18, 2)).Append(1m).Append(2m).Build()], 2);
        var nullEx = await Assert.ThrowsAsync<BatchSourceException>(() =>
            Writer.WriteBatchesAsync(DatasetName.Parse("bronze.strict"), schema, Batches(nullId), WriteMode.Append, "test", BatchWriteOptions.Default, TestTimeout.Token));
        Assert.Equal("Batch 1 contradicts the stream schema: column 'id' is declared non-nullable but has 1 null(s)", nullEx.Message);

        var renamed = new RecordBatch(
            new Schema.Builder().Field(f => f.Name("ID").DataType(Int64Type.Default)).Field(f => f.Name("amount").DataType(new Decimal128Type(18, 2))).Build(),
            [new Int64Array.Builder().Append(1).Build(), new Decimal128Array.Builder(new Decimal128Type(18, 2)).Append(1m).Build()],
            1);
        var renamedEx = await Assert.ThrowsAsync<BatchSourceException>(() =>
            Writer.WriteBatchesAsync(DatasetName.Parse("bronze.strict"), schema, Batches(renamed), WriteMode.Append, "test", BatchWriteOptions.Default, TestTimeout.Token));
        Assert.Equal("Batch 1 contradicts the stream schema: column 1 is named 'ID', declared 'id'", renamedEx.Message);
        await AssertUnchangedAsync("bronze.strict", null, []);
    }

    [Fact]
    public async Task MalformedBuffers_AreRejectedBeforeDuckDbReadsThem()
    {
        var schema = new Schema.Builder().Field(f => f.Name("s").DataType(StringType.Default)).Build();
        // Offsets that point past the end of the value buffer.
        var offsets = new ArrowBuffer(new byte[] { 0, 0, 0, 0, 0, 0, 1, 0 });
        var data = new ArrayData(StringType.Default, 1, 0, 0, [ArrowBuffer.Empty, offsets, new ArrowBuffer(new byte[] { 65 })]);
        var batch = new RecordBatch(schema, [new StringArray(data)], 1);

        var ex = await Assert.ThrowsAsync<BatchSourceException>(() =>
            Writer.WriteBatchesAsync(DatasetName.Parse("bronze.malformed"), schema, Batches(batch), WriteMode.Append, "test", BatchWriteOptions.Default, TestTimeout.Token));

        Assert.Equal("Batch 1 contradicts the stream schema: column 's' is malformed: offsets out of range", ex.Message);
    }

    [Fact]
    public async Task InvalidJsonValue_FailsTheWrite_NothingCommitted()
    {
        var schema = new Schema.Builder().Field(f => f.Name("doc").DataType(StringType.Default).Metadata(Json)).Build();
        var batch = new RecordBatch(schema, [new StringArray.Builder().Append("{\"a\": 1").Build()], 1);

        var ex = await Assert.ThrowsAsync<BatchSourceException>(() =>
            Writer.WriteBatchesAsync(DatasetName.Parse("bronze.badjson"), schema, Batches(batch), WriteMode.Append, "test", BatchWriteOptions.Default, TestTimeout.Token));

        Assert.Contains("JSON", ex.Message, StringComparison.OrdinalIgnoreCase);
        await AssertUnchangedAsync("bronze.badjson", null, []);
    }

    [Fact]
    public async Task DeclaredSchemaThatCannotBeWritten_IsRefusedUpFront()
    {
        var tagged = new Schema.Builder().Field(f => f.Name("n").DataType(Int32Type.Default).Metadata(Json)).Build();
        var duplicate = new Schema.Builder().Field(f => f.Name("a").DataType(Int32Type.Default)).Field(f => f.Name("A").DataType(Int32Type.Default)).Build();
        var union = new Schema.Builder().Field(f => f.Name("d").DataType(new DictionaryType(Int32Type.Default, StringType.Default, false))).Build();

        foreach (var (schema, expected) in new[] { (tagged, "ratatouille.type=json"), (duplicate, "twice"), (union, "cannot be written") })
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
                Writer.WriteBatchesAsync(DatasetName.Parse("bronze.refused"), schema, Batches(), WriteMode.Append, "test", BatchWriteOptions.Default, TestTimeout.Token));
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OneMillionRows_InManyBatches_AllArrive()
    {
        var schema = FiveColumns();
        async IAsyncEnumerable<RecordBatch> Million()
        {
            for (var start = 0; start < 1_000_000; start += 65_536)
            {
                await Task.Yield();
                yield return FiveColumnBatch(schema, start, Math.Min(65_536, 1_000_000 - start));
            }
        }

        var (snapshot, rows) = await Writer.WriteBatchesAsync(DatasetName.Parse("bronze.million"), schema, Million(), WriteMode.Replace, "test", BatchWriteOptions.Default, TestTimeout.Token);

        Assert.Equal(1_000_000, rows);
        Assert.Equal(1_000_000, snapshot.RowCount);
        using var doc = await QueryJsonAsync("SELECT count(*), count(DISTINCT id), sum(id)::VARCHAR, min(id), max(id), count(*) FILTER (WHERE flag), max(name) FROM bronze.million");
        var row = doc.RootElement.GetProperty("rows")[0];
        Assert.Equal(1_000_000, row[0].GetInt64());
        Assert.Equal(1_000_000, row[1].GetInt64());
        Assert.Equal("499999500000", row[2].GetString());
        Assert.Equal(0, row[3].GetInt64());
        Assert.Equal(999_999, row[4].GetInt64());
        Assert.Equal(500_000, row[5].GetInt64());
        Assert.Equal("name-999999", row[6].GetString());
    }

    internal static Schema FiveColumns() => new Schema.Builder()
        .Field(f => f.Name("id").DataType(Int64Type.Default).Nullable(false))
        .Field(f => f.Name("amount").DataType(DoubleType.Default))
        .Field(f => f.Name("name").DataType(StringType.Default))
        .Field(f => f.Name("at").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")))
        .Field(f => f.Name("flag").DataType(BooleanType.Default))
        .Build();

    internal static RecordBatch FiveColumnBatch(Schema schema, long start, int length)
    {
        var id = new Int64Array.Builder().Reserve(length);
        var amount = new DoubleArray.Builder().Reserve(length);
        var name = new StringArray.Builder().Reserve(length);
        var at = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC")).Reserve(length);
        var flag = new BooleanArray.Builder().Reserve(length);
        for (var i = start; i < start + length; i++)
        {
            id.Append(i);
            amount.Append(i * 0.5);
            name.Append("name-" + i);
            at.Append(DateTimeOffset.UnixEpoch.AddSeconds(i));
            flag.Append(i % 2 == 0);
        }

        return new RecordBatch(schema, [id.Build(), amount.Build(), name.Build(), at.Build(), flag.Build()], length);
    }

    private static async IAsyncEnumerable<RecordBatch> Batches(params RecordBatch[] batches)
    {
        foreach (var batch in batches)
        {
            await Task.Yield();
            yield return batch;
        }
    }

    private static StructArray Struct(StructType type, IArrowArray[] children, bool[] valid)
    {
        var bitmap = new ArrowBuffer.BitmapBuilder();
        foreach (var v in valid)
        {
            bitmap.Append(v);
        }

        return new StructArray(type, valid.Length, children, bitmap.Build(), valid.Count(v => !v));
    }

    private static FixedSizeBinaryArray FixedSizeBinary(int width, byte[]?[] values)
    {
        var bitmap = new ArrowBuffer.BitmapBuilder();
        var bytes = new byte[width * values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            bitmap.Append(values[i] is not null);
            values[i]?.CopyTo(bytes, i * width);
        }

        return new FixedSizeBinaryArray(new ArrayData(new FixedSizeBinaryType(width), values.Length, values.Count(v => v is null), 0, [bitmap.Build(), new ArrowBuffer(bytes)]));
    }

    private string[] ParquetFiles() =>
        Directory.EnumerateFiles(_root, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The dataset has <paramref name="rows"/> rows in one snapshot (or does not exist when null), and no Parquet file appeared.</summary>
    private async Task AssertUnchangedAsync(string dataset, long? rows, string[] filesBefore)
    {
        var name = DatasetName.Parse(dataset);
        if (rows is null)
        {
            Assert.DoesNotContain((await Catalog.ListDatasetsAsync(TestTimeout.Token)), d => d.Name == name);
        }
        else
        {
            Assert.Equal(rows, (await Catalog.GetDatasetAsync(name, TestTimeout.Token)).Current!.RowCount);
            Assert.Single(await Catalog.ListSnapshotsAsync(name, TestTimeout.Token));
        }

        Assert.Equal(filesBefore, ParquetFiles());
    }

    private async Task<JsonDocument> QueryJsonAsync(string sql)
    {
        using var output = new MemoryStream();
        await Engine.RunAsync(new QueryRequest(sql), OutputFormat.Json, output, TestTimeout.Token);
        return JsonDocument.Parse(output.ToArray());
    }
}
