using System.Data.SqlTypes;
using Apache.Arrow;
using Apache.Arrow.Types;
using Ratatouille.Sdk;
using Ratatouille.Sdk.Testing;

namespace Ratatouille.Plugins.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class TypeFidelityTests(PostgresFixture fixture) : IAsyncLifetime
{
    private List<RecordBatch> _batches = [];
    private StreamDescriptor _stream = null!;

    private RecordBatch Batch => Assert.Single(_batches);

    public async Task InitializeAsync()
    {
        var options = fixture.Options("types");
        _stream = Assert.Single(await new PostgresConnector().DiscoverAsync(options, new TestPluginContext(), CancellationToken.None));
        _batches = await PostgresFixture.ReadBatchesAsync(options, new ReadRequest("types.all_types", SyncMode.Full));
    }

    public Task DisposeAsync()
    {
        _batches.ForEach(b => b.Dispose());
        return Task.CompletedTask;
    }

    [Fact]
    public void Discover_AllTypes_MapsEachPostgresTypeToItsArrowType()
    {
        var expected = new Dictionary<string, string>
        {
            ["id"] = "Int32", ["c_smallint"] = "Int32", ["c_int"] = "Int32", ["c_bigint"] = "Int64", ["c_real"] = "Float64", ["c_double"] = "Float64",
            ["c_numeric"] = "Decimal128(38,10)", ["c_money"] = "Decimal128(10,2)", ["c_numeric_any"] = "Utf8", ["c_numeric_huge"] = "Utf8",
            ["c_text"] = "Utf8", ["c_varchar"] = "Utf8", ["c_char"] = "Utf8", ["c_bool"] = "Bool",
            ["c_date"] = "Date32", ["c_timestamp"] = "Timestamp(us)", ["c_timestamptz"] = "Timestamp(us, UTC)",
            ["c_time"] = "Utf8", ["c_timetz"] = "Utf8", ["c_interval"] = "Utf8",
            ["c_json"] = "Utf8 json", ["c_jsonb"] = "Utf8 json", ["c_uuid"] = "Utf8 uuid", ["c_bytea"] = "Binary",
            ["c_int_array"] = "List<Int32>", ["c_text_array"] = "List<Utf8>", ["c_numeric_array"] = "List<Decimal128(10,2)>",
            ["c_tstz_array"] = "List<Timestamp(us, UTC)>", ["c_date_array"] = "List<Date32>", ["c_uuid_array"] = "List<Utf8>",
            ["c_enum"] = "Utf8", ["c_domain"] = "Int32", ["c_domain_numeric"] = "Decimal128(10,2)", ["c_inet"] = "Utf8", ["c_point"] = "Utf8",
            ["c_required"] = "Utf8",
        };

        Assert.Equal(expected.Keys, _stream.Schema.FieldsList.Select(f => f.Name));
        foreach (var field in _stream.Schema.FieldsList)
        {
            Assert.True(expected[field.Name] == Describe(field), $"{field.Name}: expected {expected[field.Name]}, got {Describe(field)}");
        }

        Assert.False(_stream.Schema.GetFieldByName("id").IsNullable);
        Assert.False(_stream.Schema.GetFieldByName("c_required").IsNullable);
        Assert.All(_stream.Schema.FieldsList.Where(f => f.Name is not ("id" or "c_required")), f => Assert.True(f.IsNullable, f.Name));
        Assert.Equal(["id"], _stream.PrimaryKey);
        Assert.Equal("numeric(38,10)", _stream.Schema.GetFieldByName("c_numeric").Metadata["postgres.type"]);
        Assert.Contains("numeric without precision", _stream.Schema.GetFieldByName("c_numeric_any").Metadata["description"], StringComparison.Ordinal);
        Assert.Contains("numeric(50,5)", _stream.Schema.GetFieldByName("c_numeric_huge").Metadata["description"], StringComparison.Ordinal);
        Assert.Contains("ISO 8601", _stream.Schema.GetFieldByName("c_interval").Metadata["description"], StringComparison.Ordinal);
        Assert.Contains("enum types.mood", _stream.Schema.GetFieldByName("c_enum").Metadata["description"], StringComparison.Ordinal);
        Assert.Equal(
            ["id", "c_smallint", "c_int", "c_bigint", "c_numeric", "c_money", "c_numeric_any", "c_numeric_huge", "c_date", "c_timestamp", "c_timestamptz", "c_domain", "c_domain_numeric"],
            _stream.CursorFields);
    }

    [Fact]
    public void Read_AllTypes_BatchMatchesTheDiscoveredSchema()
    {
        Assert.Null(ArrowValues.SchemaMismatch(_stream.Schema, Batch.Schema));
        Assert.Equal(3, Batch.Length);
        for (var i = 0; i < Batch.ColumnCount; i++)
        {
            Assert.Equal(_stream.Schema.FieldsList[i].DataType.TypeId, Batch.Column(i).Data.DataType.TypeId);
        }
    }

    [Fact]
    public void Read_Numbers_AreExact()
    {
        Assert.Equal(12345, Value("c_smallint", 0));
        Assert.Equal(-32768, Value("c_smallint", 2));
        Assert.Equal(-2_000_000_000, Value("c_int", 0));
        Assert.Equal(9_000_000_000_000_000_001L, Value("c_bigint", 0));
        Assert.Equal(long.MinValue, Value("c_bigint", 2));
        Assert.Equal(1.5d, Value("c_real", 0));
        Assert.True(double.IsNaN((double)Value("c_real", 2)!));
        Assert.Equal(3.141592653589793d, Value("c_double", 0));
        Assert.Equal(double.NegativeInfinity, Value("c_double", 2));

        // numeric(38,10): 38 digits, more than System.Decimal holds; read the 128-bit value itself.
        var numeric = (Decimal128Array)Column("c_numeric");
        Assert.Equal(SqlDecimal.Parse("1234567890123456789012345678.0123456789"), numeric.GetSqlDecimal(0));
        Assert.Equal("1234567890123456789012345678.0123456789", numeric.GetString(0));
        Assert.Equal(-0.0000000001m, numeric.GetValue(2));
        Assert.Equal(12345678.90m, Value("c_money", 0));
        Assert.Equal(-0.05m, Value("c_money", 2));
        Assert.Equal(0m, Value("c_domain_numeric", 2));
        Assert.Equal("123456789012345678901234567890.123456789", Value("c_numeric_any", 0));
        Assert.Equal("12345678901234567890123456789012345678901234.56789", Value("c_numeric_huge", 0));
        Assert.Equal(12.34m, Value("c_domain_numeric", 0));
        Assert.Equal(42, Value("c_domain", 0));
    }

    [Fact]
    public void Read_TextAndBinary_AreExact()
    {
        Assert.Equal("héllo wörld ✓", Value("c_text", 0));
        Assert.Equal("", Value("c_text", 2));
        Assert.Equal("varchar", Value("c_varchar", 0));
        Assert.Equal("ab   ", Value("c_char", 0));
        Assert.Equal(true, Value("c_bool", 0));
        Assert.Equal(false, Value("c_bool", 2));
        Assert.Equal(new byte[] { 0xde, 0xad, 0xbe, 0xef, 0x00 }, Value("c_bytea", 0));
        Assert.Equal("{\"b\": 1, \"a\": [1,2]}", Value("c_json", 0));
        Assert.Equal("{\"a\": [1, 2], \"b\": 1}", Value("c_jsonb", 0));
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", Value("c_uuid", 0));
        Assert.Equal("happy", Value("c_enum", 0));
        Assert.Equal("192.168.0.1/24", Value("c_inet", 0));
        Assert.Equal("(1,2)", Value("c_point", 0));
    }

    [Fact]
    public void Read_DatesAndTimes_KeepTheirInstantsAndWallClocks()
    {
        Assert.Equal(new DateOnly(2024, 2, 29), Value("c_date", 0));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 34, 56, TimeSpan.Zero).AddTicks(7_890_120), Value("c_timestamp", 0));

        // 12:34:56.789012+02 is the instant 10:34:56.789012Z.
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 34, 56, TimeSpan.Zero).AddTicks(7_890_120), Value("c_timestamptz", 0));
        Assert.Equal("13:45:10.5", Value("c_time", 0));
        Assert.Equal("13:45:10+02", Value("c_timetz", 0));
        Assert.Equal("P1Y2M3DT4H5M6.5S", Value("c_interval", 0));

        // PostgreSQL's infinities become DuckDB's (±max of the storage type).
        Assert.Equal(int.MaxValue, ((Date32Array)Column("c_date")).Values[2]);
        Assert.Equal(-long.MaxValue, ((TimestampArray)Column("c_timestamp")).Values[2]);
        Assert.Equal(long.MaxValue, ((TimestampArray)Column("c_timestamptz")).Values[2]);
    }

    [Fact]
    public void Read_Arrays_BecomeListsWithNullElements()
    {
        Assert.Equal(new List<object?> { 1, null, 3 }, Value("c_int_array", 0));
        Assert.Equal(new List<object?>(), Value("c_int_array", 2));
        Assert.Equal(new List<object?> { "a", "b c", null, "ü" }, Value("c_text_array", 0));
        Assert.Equal(new List<object?>(), Value("c_text_array", 2));
        Assert.Equal(new List<object?> { 1.50m, null, -2.25m }, Value("c_numeric_array", 0));
        Assert.Equal(new List<object?> { new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), null }, Value("c_tstz_array", 0));
        Assert.Equal(new List<object?> { new DateOnly(2024, 1, 31) }, Value("c_date_array", 0));
        Assert.Equal(new List<object?> { "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" }, Value("c_uuid_array", 0));
    }

    [Fact]
    public void Read_Nulls_StayNullInEveryNullableColumn()
    {
        foreach (var field in _stream.Schema.FieldsList.Where(f => f.IsNullable))
        {
            Assert.True(Column(field.Name).IsNull(1), $"{field.Name} of row 2 should be null");
        }

        Assert.Equal(2, Value("id", 1));
        Assert.Equal("x", Value("c_required", 1));
        Assert.Equal(0, Column("id").NullCount);
    }

    [Fact]
    public async Task Read_NaNInConstrainedNumeric_FailsNamingTheColumn()
    {
        await fixture.NewSchemaAsync("types_nan", "CREATE TABLE t (id int, amount numeric(10,2)); INSERT INTO t VALUES (1, 1.5), (2, 'NaN');");

        var error = await Assert.ThrowsAsync<PluginException>(() => PostgresFixture.ReadBatchesAsync(fixture.Options("types_nan"), new ReadRequest("types_nan.t", SyncMode.Full)));

        Assert.Contains("row 2, column 'amount' (numeric(10,2))", error.Message, StringComparison.Ordinal);
        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ColumnsDifferingOnlyByCase_GetDistinctFieldNames()
    {
        await fixture.NewSchemaAsync("types_case", "CREATE TABLE t (\"Name\" text, name text); INSERT INTO t VALUES ('upper', 'lower');");

        var harness = new ConnectorHarness(new PostgresConnector());
        var result = await harness.ReadAsync(fixture.Options("types_case"), "types_case.t");

        var row = Assert.Single(result.Rows);
        Assert.Equal("upper", row["Name"]);
        Assert.Equal("lower", row["name_2"]);
    }

    private IArrowArray Column(string name) => Batch.Column(Batch.Schema.GetFieldIndex(name));

    private object? Value(string name, int row) => ArrowValues.Get(Column(name), row);

    private static string Describe(Field field)
    {
        var type = field.DataType switch
        {
            Decimal128Type d => $"Decimal128({d.Precision},{d.Scale})",
            TimestampType t => string.IsNullOrEmpty(t.Timezone) ? "Timestamp(us)" : $"Timestamp(us, {t.Timezone})",
            ListType l => $"List<{Describe(l.ValueField)}>",
            StringType => "Utf8",
            DoubleType => "Float64",
            BooleanType => "Bool",
            _ => field.DataType.TypeId.ToString(),
        };
        return Columns.LogicalType(field) is { } logical ? $"{type} {logical}" : type;
    }
}
