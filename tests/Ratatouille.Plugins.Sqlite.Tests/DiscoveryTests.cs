using Apache.Arrow.Types;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Sqlite.Tests;

public sealed class DiscoveryTests : IDisposable
{
    private readonly SqliteFixture _fixture = new();

    [Fact]
    public async Task Discover_TablesAndViews_SkipsSqliteOwnTables()
    {
        Shop.Create(_fixture);

        var streams = await _fixture.Connector.DiscoverAsync(SqliteFixture.Options("shop.db"), _fixture.Context, CancellationToken.None);

        Assert.Equal(["big_orders", "customers", "orders"], streams.Select(s => s.Name));
    }

    [Fact]
    public async Task Discover_DeclaredTypes_FollowAffinityRules()
    {
        Shop.Create(_fixture);

        var streams = await _fixture.Connector.DiscoverAsync(SqliteFixture.Options("shop.db"), _fixture.Context, CancellationToken.None);
        var orders = streams.Single(s => s.Name == "orders").Schema;

        Assert.IsType<Int64Type>(orders.GetFieldByName("id").DataType);
        Assert.False(orders.GetFieldByName("id").IsNullable);
        Assert.False(orders.GetFieldByName("customer_id").IsNullable);
        var total = Assert.IsType<Decimal128Type>(orders.GetFieldByName("total").DataType);
        Assert.Equal((10, 2), (total.Precision, total.Scale));
        Assert.IsType<BooleanType>(orders.GetFieldByName("paid").DataType);
        Assert.IsType<Date32Type>(orders.GetFieldByName("placed_on").DataType);
        Assert.True(string.IsNullOrEmpty(Assert.IsType<TimestampType>(orders.GetFieldByName("updated_at").DataType).Timezone));
        Assert.IsType<StringType>(orders.GetFieldByName("note").DataType);
        Assert.IsType<BinaryType>(orders.GetFieldByName("payload").DataType);
        Assert.IsType<DoubleType>(orders.GetFieldByName("weight").DataType);
        Assert.IsType<DoubleType>(orders.GetFieldByName("status").DataType);
        Assert.True(orders.GetFieldByName("total").IsNullable);
    }

    [Fact]
    public async Task Discover_KeysAndCursors()
    {
        Shop.Create(_fixture);

        var streams = await _fixture.Connector.DiscoverAsync(SqliteFixture.Options("shop.db"), _fixture.Context, CancellationToken.None);
        var orders = streams.Single(s => s.Name == "orders");
        var view = streams.Single(s => s.Name == "big_orders");

        Assert.Equal(["id"], orders.PrimaryKey);
        Assert.Equal("id", orders.DefaultCursorField);
        Assert.Equal([SyncMode.Full, SyncMode.Incremental], orders.SupportedModes);
        Assert.Equal(["id", "customer_id", "total", "placed_on", "updated_at", "note", "weight", "status"], orders.CursorFields);
        Assert.Empty(view.PrimaryKey);
        Assert.Null(view.DefaultCursorField);
        Assert.Equal([SyncMode.Full], view.SupportedModes);
        Assert.IsType<Decimal128Type>(view.Schema.GetFieldByName("total").DataType);
    }

    [Fact]
    public async Task Discover_ConfiguredDefaultCursor_EnablesIncrementalOnAView()
    {
        Shop.Create(_fixture);

        var streams = await _fixture.Connector.DiscoverAsync(SqliteFixture.Options("shop.db", """ "cursorFields": { "big_orders": "id", "customers": "created_at" } """), _fixture.Context, CancellationToken.None);

        Assert.Equal("id", streams.Single(s => s.Name == "big_orders").DefaultCursorField);
        Assert.Contains(SyncMode.Incremental, streams.Single(s => s.Name == "big_orders").SupportedModes);
        Assert.Equal("created_at", streams.Single(s => s.Name == "customers").DefaultCursorField);
    }

    [Fact]
    public async Task Discover_ValuesDecideDatesAndUntypedColumns()
    {
        SqliteFixture.Create(Path.Combine(_fixture.Root, "values.db"), """
            CREATE TABLE t (
                d_ok DATE, d_time DATE, d_bad DATE, ts_zone DATETIME, ts_epoch DATETIME, ts_empty TIMESTAMP,
                u_int, u_num, u_text, u_mixed, u_blob, u_null
            );
            INSERT INTO t VALUES ('2024-05-01', '2024-05-01 10:00', '01/05/2024', '2024-05-01T10:00:00Z', 1714557600, NULL, 1, 1, 'a', 1, x'01', NULL);
            INSERT INTO t VALUES ('2024-05-02', '2024-05-02', NULL, '2024-05-01T12:00:00+02:00', 1714557601, NULL, 2, 2.5, 'b', 'b', x'02', NULL);
            """);

        var stream = Assert.Single(await _fixture.Connector.DiscoverAsync(SqliteFixture.Options("values.db"), _fixture.Context, CancellationToken.None));
        var schema = stream.Schema;

        Assert.IsType<Date32Type>(schema.GetFieldByName("d_ok").DataType);
        Assert.IsType<TimestampType>(schema.GetFieldByName("d_time").DataType);
        Assert.IsType<StringType>(schema.GetFieldByName("d_bad").DataType);
        Assert.Equal("UTC", Assert.IsType<TimestampType>(schema.GetFieldByName("ts_zone").DataType).Timezone);
        Assert.IsType<StringType>(schema.GetFieldByName("ts_epoch").DataType);
        Assert.IsType<TimestampType>(schema.GetFieldByName("ts_empty").DataType);
        Assert.IsType<Int64Type>(schema.GetFieldByName("u_int").DataType);
        Assert.IsType<DoubleType>(schema.GetFieldByName("u_num").DataType);
        Assert.IsType<StringType>(schema.GetFieldByName("u_text").DataType);
        Assert.IsType<StringType>(schema.GetFieldByName("u_mixed").DataType);
        Assert.IsType<BinaryType>(schema.GetFieldByName("u_blob").DataType);
        Assert.IsType<StringType>(schema.GetFieldByName("u_null").DataType);
    }

    [Fact]
    public async Task Discover_WithoutRowidAndCompositeKeys()
    {
        SqliteFixture.Create(Path.Combine(_fixture.Root, "keys.db"), """
            CREATE TABLE lines (order_id INTEGER, line INTEGER, sku TEXT, PRIMARY KEY (order_id, line)) WITHOUT ROWID;
            CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT);
            INSERT INTO lines VALUES (1, 1, 'a'), (1, 2, 'b');
            """);

        var streams = await _fixture.Connector.DiscoverAsync(SqliteFixture.Options("keys.db"), _fixture.Context, CancellationToken.None);
        var lines = streams.Single(s => s.Name == "lines");

        Assert.Equal(["order_id", "line"], lines.PrimaryKey);
        Assert.False(lines.Schema.GetFieldByName("order_id").IsNullable);
        Assert.Null(lines.DefaultCursorField);
        Assert.Equal(["code"], streams.Single(s => s.Name == "codes").PrimaryKey);
        Assert.True(streams.Single(s => s.Name == "codes").Schema.GetFieldByName("code").IsNullable);
    }

    public void Dispose() => _fixture.Dispose();
}
