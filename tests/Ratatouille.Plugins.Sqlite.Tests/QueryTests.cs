using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Sqlite.Tests;

public sealed class QueryTests : IDisposable
{
    private readonly SqliteFixture _fixture = new();

    [Fact]
    public async Task Query_IsAStreamWithInferredColumns()
    {
        Shop.Create(_fixture);
        var options = SqliteFixture.Options("shop.db", """
            "includeTables": false,
            "queries": [ { "name": "customer_totals", "sql": "SELECT c.id, c.name, sum(o.total) AS spent, count(o.id) AS n FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id ORDER BY c.id", "primaryKey": ["id"] } ]
            """);

        var stream = Assert.Single(await _fixture.Connector.DiscoverAsync(options, _fixture.Context, CancellationToken.None));
        var result = await _fixture.Harness.ReadAsync(options, "customer_totals");

        Assert.Equal(["id", "name", "spent", "n"], stream.Schema.FieldsList.Select(f => f.Name));
        Assert.Equal(["id"], stream.PrimaryKey);
        Assert.Equal([SyncMode.Full], stream.SupportedModes);
        Assert.Equal(["Ana", "Ben", "Caro"], result.Rows.Select(r => r["name"]));
        Assert.Equal([139.99, 75.5, null], result.Rows.Select(r => r["spent"]));
        Assert.Equal([2L, 1L, 0L], result.Rows.Select(r => r["n"]));
    }

    [Fact]
    public async Task Query_Incremental_ByItsCursor()
    {
        var path = Shop.Create(_fixture);
        var options = SqliteFixture.Options("shop.db", """
            "queries": [ { "name": "paid_orders", "sql": "SELECT id, total FROM orders WHERE paid", "cursorField": "id" } ]
            """);

        var first = await _fixture.Harness.ReadAsync(options, "paid_orders", SyncMode.Incremental);
        SqliteFixture.Create(path, "INSERT INTO orders (customer_id, total, paid) VALUES (2, 9, 1), (2, 10, 0);");
        var second = await _fixture.Harness.ReadAsync(options, "paid_orders", SyncMode.Incremental, first.Checkpoint);

        Assert.Equal([1L], first.Rows.Select(r => r["id"]));
        Assert.Equal([4L], second.Rows.Select(r => r["id"]));
    }

    [Theory]
    [InlineData("SELECT 1; DELETE FROM orders", "more than one statement")]
    [InlineData("SELECT 1) ; ATTACH DATABASE 'x.db' AS x; SELECT * FROM (SELECT 1", "does not compile")]
    [InlineData("DELETE FROM orders", "not a SELECT")]
    [InlineData("ATTACH DATABASE 'other.db' AS other", "not a SELECT")]
    [InlineData("SELEC id FROM orders", "does not compile")]
    [InlineData("SELECT id, id FROM orders", "returns the column 'id' twice")]
    public async Task Query_ThatIsNotOneSelect_IsRefused(string sql, string expected)
    {
        var path = Shop.Create(_fixture);
        var options = SqliteFixture.Options("shop.db", $$"""
            "includeTables": false, "queries": [ { "name": "q", "sql": {{System.Text.Json.Nodes.JsonValue.Create(sql).ToJsonString()}} } ]
            """);
        var before = await File.ReadAllBytesAsync(path);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.Connector.DiscoverAsync(options, _fixture.Context, CancellationToken.None));
        var check = await _fixture.Connector.CheckAsync(options, _fixture.Context, CancellationToken.None);

        Assert.Contains("query 'q'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(check.Success);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Connection_CannotAttachOtherFilesNorWrite()
    {
        Shop.Create(_fixture);
        var secret = SqliteFixture.Create(Path.Combine(_fixture.Outside, "secret.db"), "CREATE TABLE s (x);");
        using var database = await SqliteDatabase.OpenAsync(SqliteFixture.Options("shop.db"), _fixture.Context, CancellationToken.None);

        var attach = Assert.Throws<SqliteError>(() => database.Execute($"ATTACH DATABASE '{secret}' AS other"));
        var delete = Assert.Throws<SqliteError>(() => database.Execute("DELETE FROM orders"));

        Assert.Contains("too many attached databases", attach.Message, StringComparison.Ordinal);
        Assert.Contains("readonly", delete.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Query_NameClashingWithATable_IsRefused()
    {
        Shop.Create(_fixture);
        var options = SqliteFixture.Options("shop.db", """ "queries": [ { "name": "Orders", "sql": "SELECT 1 AS x" } ] """);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.Connector.DiscoverAsync(options, _fixture.Context, CancellationToken.None));

        Assert.Contains("table 'orders'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_QueriesAreValidatedWithTheirPlace()
    {
        var error = Assert.Throws<InvalidOptionsException>(() => SqliteFixture.Options("shop.db", """ "queries": [ { "name": "ok", "sql": "SELECT 1" }, { "name": "no spaces please", "sql": "" } ] """));

        Assert.Contains(error.Errors, e => e.StartsWith("'queries[1].name'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("'queries[1].sql'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Options_RulesAcrossOptions_AreCheckedByEveryOperation()
    {
        Shop.Create(_fixture);
        var options = SqliteFixture.Options("shop.db", """ "queries": [ { "name": "ok", "sql": "SELECT 1" }, { "name": "OK", "sql": "SELECT 2" } ] """);
        var nothing = SqliteFixture.Options("shop.db", """ "includeTables": false """);

        var error = await Assert.ThrowsAsync<InvalidOptionsException>(() => _fixture.Connector.DiscoverAsync(options, _fixture.Context, CancellationToken.None));
        var check = await _fixture.Connector.CheckAsync(nothing, _fixture.Context, CancellationToken.None);

        Assert.Contains(error.Errors, e => e.Contains("two queries named 'ok'", StringComparison.OrdinalIgnoreCase));
        Assert.False(check.Success);
        Assert.Contains("includeTables is off", check.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _fixture.Dispose();
}
