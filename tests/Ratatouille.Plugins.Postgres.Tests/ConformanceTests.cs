using System.Text.Json.Nodes;
using Ratatouille.Sdk;
using Ratatouille.Sdk.Testing;
using Xunit.Abstractions;

namespace Ratatouille.Plugins.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class ConformanceTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private readonly ConnectorHarness _harness = new(new PostgresConnector(), new TestPluginContext("postgres"));

    [Fact]
    public async Task CheckConformance_ShopSchemaFromJsonConfig_Passes()
    {
        var config = fixture.Config("shop");
        config["customQueries"] = new JsonArray(new JsonObject
        {
            ["name"] = "customer_revenue",
            ["sql"] = "SELECT c.id AS customer_id, c.name, count(o.id) AS orders, coalesce(sum(o.total), 0)::numeric(14,2) AS revenue, max(c.updated_at) AS updated_at\nFROM shop.customers c LEFT JOIN shop.orders o ON o.customer_id = c.id GROUP BY c.id, c.name; -- one row per customer",
        });
        var options = _harness.Bind(config);

        var report = await _harness.CheckConformanceAsync(options);

        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
        Assert.Contains(report.Checks, c => c.Name == "incremental shop.customers" && c.Passed);
        Assert.Contains(report.Checks, c => c.Name == "incremental shop.orders" && c.Passed);
        Assert.Contains(report.Checks, c => c.Name == "incremental customer_revenue" && c.Passed);
        Assert.Contains(report.Checks, c => c.Name == "cancel shop.order_lines" && c.Message.StartsWith("stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Discover_ShopSchema_NamesStreamsSchemaDotTableWithKeysAndCursors()
    {
        var streams = (await _harness.DiscoverAsync(fixture.Options("shop"))).ToDictionary(s => s.Name);

        Assert.Equal(
            ["shop.customers", "shop.daily_sales", "shop.order_lines", "shop.order_totals", "shop.orders", "shop.products"],
            streams.Keys.Order(StringComparer.Ordinal));

        var customers = streams["shop.customers"];
        Assert.Equal(["id"], customers.PrimaryKey);
        Assert.Equal("updated_at", customers.DefaultCursorField);
        Assert.Equal(["id", "created_at", "updated_at"], customers.CursorFields);
        Assert.Equal([SyncMode.Full, SyncMode.Incremental], customers.SupportedModes);
        Assert.StartsWith("Table shop.customers (about 50 rows): People who bought something", customers.Description, StringComparison.Ordinal);
        Assert.False(customers.Schema.GetFieldByName("name").IsNullable);
        Assert.True(customers.Schema.GetFieldByName("email").IsNullable);

        // An identity primary key is an obvious cursor; a composite key or a text key is not.
        Assert.Equal("id", streams["shop.orders"].DefaultCursorField);
        Assert.Equal(["order_id", "line_no"], streams["shop.order_lines"].PrimaryKey);
        Assert.Null(streams["shop.order_lines"].DefaultCursorField);
        Assert.Equal([SyncMode.Full], streams["shop.order_lines"].SupportedModes);
        Assert.Contains("line_no", streams["shop.order_lines"].CursorFields);
        Assert.Null(streams["shop.products"].DefaultCursorField);

        Assert.StartsWith("View shop.order_totals", streams["shop.order_totals"].Description, StringComparison.Ordinal);
        Assert.Empty(streams["shop.order_totals"].PrimaryKey);
        Assert.StartsWith("Materialized view shop.daily_sales", streams["shop.daily_sales"].Description, StringComparison.Ordinal);
        Assert.Equal("shop.order_status", streams["shop.orders"].Schema.GetFieldByName("status").Metadata["postgres.type"]);
    }

    [Fact]
    public async Task Discover_NoSchemasConfigured_ListsEveryUserSchemaButNoSystemOne()
    {
        var streams = await _harness.DiscoverAsync(fixture.Options());

        Assert.Contains(streams, s => s.Name == "shop.orders");
        Assert.Contains(streams, s => s.Name == "types.all_types");
        Assert.Contains(streams, s => s.Name == "big.events");
        Assert.DoesNotContain(streams, s => s.Name.StartsWith("pg_", StringComparison.Ordinal) || s.Name.StartsWith("information_schema.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_ShopOrders_ReturnsEveryRowWithItsValues()
    {
        var result = await _harness.ReadAsync(fixture.Options("shop"), "shop.orders");

        Assert.Equal(200, result.Rows.Count);
        var first = result.Rows.Single(r => (long)r["id"]! == 1);
        Assert.Equal(2, first["customer_id"]);
        Assert.Equal("paid", first["status"]);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 9, 30, 0, TimeSpan.Zero), first["ordered_at"]);
        var expectedTotal = decimal.Parse(await fixture.ScalarAsync("SELECT total FROM shop.orders WHERE id = 1"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expectedTotal, first["total"]);
        Assert.Null(result.Checkpoint);
    }

    [Fact]
    public async Task Discover_ConfiguredCursorField_MakesAStreamWithoutAnObviousOneIncremental()
    {
        var options = fixture.Options("shop", "big");
        options.CursorFields = new Dictionary<string, string> { ["big.events"] = "id" };

        var streams = await _harness.DiscoverAsync(options);
        var check = await _harness.CheckAsync(options);

        var events = Assert.Single(streams, s => s.Name == "big.events");
        Assert.Equal("id", events.DefaultCursorField);
        Assert.Equal([SyncMode.Full, SyncMode.Incremental], events.SupportedModes);
        Assert.True(check.Success, check.Message);

        options.CursorFields = new Dictionary<string, string> { ["big.events"] = "label" };
        var wrong = await _harness.CheckAsync(options);
        Assert.False(wrong.Success);
        Assert.Equal("The cursor field configured for 'big.events', 'label', is not an integer, numeric, date or timestamp column (those of 'big.events': id, k, amount, created_at).", wrong.Message);
        await Assert.ThrowsAsync<PluginException>(() => _harness.DiscoverAsync(options));

        options.CursorFields = new Dictionary<string, string> { ["big.nothing"] = "id" };
        var unknown = await _harness.CheckAsync(options);
        Assert.Equal("A cursor field is configured for 'big.nothing', which is not a stream of this connection (or reader cannot read it).", unknown.Message);
    }

    [Fact]
    public void OptionsSchema_DescribesTheForm()
    {
        var schema = _harness.OptionsSchemaJson;
        var properties = schema["properties"]!.AsObject();

        Assert.Equal(["password"], OptionsSchema.SecretPaths(typeof(PostgresOptions)));
        Assert.True(properties["password"]!["x-secret"]!.GetValue<bool>());
        Assert.Equal("5432", properties["port"]!["default"]!.ToJsonString());
        Assert.Equal("prefer", properties["sslMode"]!["default"]!.GetValue<string>());
        Assert.Equal(["disable", "prefer", "require", "verifyFull"], properties["sslMode"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("300", properties["commandTimeoutSeconds"]!["default"]!.ToJsonString());
        var required = schema["required"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.Contains("host", required);
        Assert.Contains("database", required);
        Assert.Contains("username", required);
    }

    [Fact]
    public async Task CheckAndDiscover_InvalidCustomQueriesAndCursors_ListEveryProblem()
    {
        var options = fixture.Options("shop");
        options.CustomQueries =
        [
            new PostgresCustomQuery { Name = "daily", Sql = "SELECT 1" },
            new PostgresCustomQuery { Name = "daily", Sql = "SELECT 2" },
            new PostgresCustomQuery { Name = "shop.orders", Sql = "SELECT 3" },
            new PostgresCustomQuery { Name = "empty", Sql = "" },
        ];
        options.CursorFields = new Dictionary<string, string> { ["shop.orders"] = " " };

        var check = await _harness.CheckAsync(options);
        var error = await Assert.ThrowsAsync<PluginException>(() => _harness.DiscoverAsync(options));

        Assert.False(check.Success);
        Assert.Equal(check.Message, error.Message);
        Assert.Contains("Custom query 2: the name 'daily' is used twice", check.Message, StringComparison.Ordinal);
        Assert.Contains("Custom query 3: A query name is 1 to 128 letters, digits, '_' or '-' (no dots", check.Message, StringComparison.Ordinal);
        Assert.Contains("Custom query 4: The Sql field is required", check.Message, StringComparison.Ordinal);
        Assert.Contains("A cursor field needs a stream name and a column name", check.Message, StringComparison.Ordinal);
    }
}
