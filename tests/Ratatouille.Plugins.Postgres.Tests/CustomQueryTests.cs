using Ratatouille.Sdk;
using Ratatouille.Sdk.Testing;

namespace Ratatouille.Plugins.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class CustomQueryTests(PostgresFixture fixture)
{
    private readonly ConnectorHarness _harness = new(new PostgresConnector());

    private PostgresOptions Options(string name, string sql)
    {
        var options = fixture.Options("shop");
        options.CustomQueries = [new PostgresCustomQuery { Name = name, Sql = sql }];
        return options;
    }

    [Fact]
    public async Task Discover_CustomQuery_IsAStreamWithTheResultColumns()
    {
        var options = Options("status_summary", """
            SELECT status, count(*) AS orders, sum(total) AS revenue, sum(total)::numeric(14,2) AS revenue_2dp, max(ordered_at) AS last_order, array_agg(id ORDER BY id) AS ids
            FROM shop.orders
            GROUP BY status
            """);

        var stream = Assert.Single(await _harness.DiscoverAsync(options), s => s.Name == "status_summary");

        Assert.Equal(["status", "orders", "revenue", "revenue_2dp", "last_order", "ids"], stream.Schema.FieldsList.Select(f => f.Name));
        Assert.Equal(Apache.Arrow.Types.ArrowTypeId.String, stream.Schema.GetFieldByName("status").DataType.TypeId);
        Assert.Equal(Apache.Arrow.Types.ArrowTypeId.Int64, stream.Schema.GetFieldByName("orders").DataType.TypeId);
        Assert.Equal(Apache.Arrow.Types.ArrowTypeId.String, stream.Schema.GetFieldByName("revenue").DataType.TypeId);
        Assert.Equal(new Apache.Arrow.Types.Decimal128Type(14, 2).ToString(), stream.Schema.GetFieldByName("revenue_2dp").DataType.ToString());
        Assert.Equal(Apache.Arrow.Types.ArrowTypeId.Timestamp, stream.Schema.GetFieldByName("last_order").DataType.TypeId);
        Assert.Equal(Apache.Arrow.Types.ArrowTypeId.List, stream.Schema.GetFieldByName("ids").DataType.TypeId);
        Assert.All(stream.Schema.FieldsList, f => Assert.True(f.IsNullable));
        Assert.Empty(stream.PrimaryKey);
        Assert.Null(stream.DefaultCursorField);
        Assert.Contains("last_order", stream.CursorFields);
    }

    [Fact]
    public async Task Read_CustomQuery_ReturnsItsRows()
    {
        var options = Options("status_summary", "SELECT status::text, count(*) AS orders, sum(total)::numeric(14,2) AS revenue FROM shop.orders GROUP BY status ORDER BY status;");

        var result = await _harness.ReadAsync(options, "status_summary");

        Assert.Equal(["cancelled", "new", "paid", "shipped"], result.Rows.Select(r => (string)r["status"]!).Order(StringComparer.Ordinal));
        Assert.Equal(200L, result.Rows.Sum(r => (long)r["orders"]!));
        var revenue = decimal.Parse(await fixture.ScalarAsync("SELECT sum(total) FROM shop.orders"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(revenue, result.Rows.Sum(r => (decimal)r["revenue"]!));
    }

    [Fact]
    public async Task ReadIncremental_CustomQueryWithUpdatedAt_FollowsItByDefault()
    {
        var options = Options("recent_customers", "SELECT id, name, updated_at FROM shop.customers WHERE country = 'FR'");

        var first = await _harness.ReadAsync(options, "recent_customers", SyncMode.Incremental);
        var second = await _harness.ReadAsync(options, "recent_customers", SyncMode.Incremental, first.Checkpoint);

        Assert.Equal(int.Parse(await fixture.ScalarAsync("SELECT count(*) FROM shop.customers WHERE country = 'FR'"), System.Globalization.CultureInfo.InvariantCulture), first.Rows.Count);
        Assert.Equal("updated_at", first.Checkpoint!["cursorField"]!.GetValue<string>());
        Assert.Empty(second.Rows);
    }

    [Fact]
    public async Task Discover_CustomQueryWithCursorAndKey_DeclaresThem()
    {
        var options = fixture.Options("shop");
        options.CustomQueries = [new PostgresCustomQuery { Name = "big_orders", Sql = "SELECT id, customer_id, total FROM shop.orders WHERE total > 50", CursorField = "id", PrimaryKey = ["id"] }];

        var stream = Assert.Single(await _harness.DiscoverAsync(options), s => s.Name == "big_orders");
        var first = await _harness.ReadAsync(options, "big_orders", SyncMode.Incremental);

        Assert.Equal("id", stream.DefaultCursorField);
        Assert.Equal(["id"], stream.PrimaryKey);
        Assert.Equal([SyncMode.Full, SyncMode.Incremental], stream.SupportedModes);
        Assert.Equal(await fixture.ScalarAsync("SELECT max(id) FROM shop.orders WHERE total > 50"), first.Checkpoint!["cursor"]!.ToJsonString());
    }

    [Fact]
    public async Task CheckAndDiscover_InvalidCustomQuery_NameTheQueryAndTheError()
    {
        var options = Options("broken", "SELECT nope FROM shop.orders");

        var check = await _harness.CheckAsync(options);
        var error = await Assert.ThrowsAsync<PluginException>(() => _harness.DiscoverAsync(options));

        Assert.False(check.Success);
        Assert.Contains("Custom query 'broken' is not valid: column \"nope\" does not exist", check.Message, StringComparison.Ordinal);
        Assert.Contains("Custom query 'broken' is not valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_CustomQueryThatWrites_IsRefusedByTheReadOnlySession()
    {
        await fixture.SqlAsync("CREATE SEQUENCE IF NOT EXISTS shop.counter; GRANT USAGE ON SEQUENCE shop.counter TO reader;");
        var options = Options("writes", "SELECT nextval('shop.counter') AS n");

        var error = await Assert.ThrowsAsync<PluginException>(() => _harness.ReadAsync(options, "writes"));

        Assert.Contains("read-only transaction", error.Message, StringComparison.Ordinal);
        Assert.Equal("f", await fixture.ScalarAsync("SELECT is_called FROM shop.counter"));
    }

    [Fact]
    public async Task Discover_CustomQueryWithDuplicateColumnNames_AsksForAliases()
    {
        var options = Options("dupes", "SELECT o.id, c.id FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id");

        var error = await Assert.ThrowsAsync<PluginException>(() => _harness.DiscoverAsync(options));

        Assert.Contains("returns the column 'id' twice", error.Message, StringComparison.Ordinal);
    }
}
