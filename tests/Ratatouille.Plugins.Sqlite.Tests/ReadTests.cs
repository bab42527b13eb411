using Microsoft.Data.Sqlite;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Sqlite.Tests;

public sealed class ReadTests : IDisposable
{
    private readonly SqliteFixture _fixture = new();

    [Fact]
    public async Task Conformance_ShopDatabase_Passes()
    {
        Shop.Create(_fixture);
        var options = SqliteFixture.Options("shop.db", """
            "queries": [ { "name": "customer_totals", "sql": "SELECT c.id, c.name, sum(o.total) AS spent FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id;", "cursorField": "id", "primaryKey": ["id"] } ]
            """);

        var report = await _fixture.Harness.CheckConformanceAsync(options);

        Assert.True(report.Passed, report.ToString());
        Assert.Contains(report.Checks, c => c.Name == "incremental orders" && c.Passed);
        Assert.Contains(report.Checks, c => c.Name == "incremental customer_totals" && c.Passed);
        Assert.Contains(report.Checks, c => c.Name == "cancel orders" && c.Message.StartsWith("stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_ValuesConvertToTheirColumns()
    {
        Shop.Create(_fixture);

        var result = await _fixture.Harness.ReadAsync(SqliteFixture.Options("shop.db"), "orders");

        var rows = result.Rows;
        Assert.Equal(3, rows.Count);
        Assert.Equal([19.99m, 120m, 75.5m], rows.Select(r => r["total"]));
        Assert.Equal([true, false, true], rows.Select(r => r["paid"]));
        Assert.Equal(new DateOnly(2024, 5, 1), rows[0]["placed_on"]);
        Assert.Equal(new DateTimeOffset(2024, 5, 2, 11, 30, 0, TimeSpan.Zero), rows[1]["updated_at"]);
        Assert.Equal(["first", "7", null], rows.Select(r => r["note"]));
        Assert.Equal(new byte[] { 0x00, 0xFF }, rows[0]["payload"]);
        Assert.Equal(Array.Empty<byte>(), rows[2]["payload"]);
        Assert.Equal([1.5, 2.0, null], rows.Select(r => r["weight"]));
        Assert.Equal([1.0, 2.5, null], rows.Select(r => r["status"]));
    }

    [Fact]
    public async Task Read_TimestampsKeepMilliseconds()
    {
        Shop.Create(_fixture);

        var result = await _fixture.Harness.ReadAsync(SqliteFixture.Options("shop.db"), "customers");

        Assert.Equal(new DateTimeOffset(2024, 2, 11, 17, 30, 0, 250, TimeSpan.Zero), result.Rows[1]["created_at"]);
        Assert.Null(result.Rows[2]["created_at"]);
    }

    [Theory]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER); INSERT INTO t VALUES (1, 5), (42, 'abc');", "column 'n' (INTEGER), rowid 42: the text 'abc' is not an integer")]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY, price DECIMAL(5,2)); INSERT INTO t VALUES (7, 123.456);", "column 'price' (DECIMAL(5,2)), rowid 7: the real 123.456 does not fit DECIMAL(5,2)")]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY, price DECIMAL(5,2)); INSERT INTO t VALUES (8, 12345);", "rowid 8: the integer 12345 does not fit DECIMAL(5,2)")]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY, ok BOOLEAN); INSERT INTO t VALUES (3, 2);", "column 'ok' (BOOLEAN), rowid 3: the integer 2 is not a boolean")]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY, w REAL); INSERT INTO t VALUES (9, 'heavy');", "column 'w' (REAL), rowid 9: the text 'heavy' is not a number")]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT); INSERT INTO t VALUES (4, x'C328');", "column 's' (TEXT), rowid 4: a BLOB of 2 bytes is not UTF-8 text")]
    public async Task Read_ValueThatDoesNotFit_NamesTableColumnAndRowid(string sql, string expected)
    {
        SqliteFixture.Create(Path.Combine(_fixture.Root, "bad.db"), sql);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.Harness.ReadAsync(SqliteFixture.Options("bad.db"), "t"));

        Assert.StartsWith("Table 't'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_WithoutRowid_NamesTheRowByItsKey()
    {
        SqliteFixture.Create(Path.Combine(_fixture.Root, "bad.db"), """
            CREATE TABLE t (code TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
            INSERT INTO t VALUES ('a', 1), ('b', 'x');
            """);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.Harness.ReadAsync(SqliteFixture.Options("bad.db"), "t"));

        Assert.Contains("row 2 (code=the text 'b')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_LosslessCoercions()
    {
        SqliteFixture.Create(Path.Combine(_fixture.Root, "loose.db"), """
            CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, r REAL, b BOOLEAN, s TEXT, d DECIMAL(8,3), bin BLOB);
            INSERT INTO t VALUES (1, '12', '2.5', 'false', 5, '1.25', 'text as bytes');
            INSERT INTO t VALUES (2, 3.0, 4, '1', 2.5, 7, NULL);
            """);

        var result = await _fixture.Harness.ReadAsync(SqliteFixture.Options("loose.db"), "t");

        Assert.Equal([12L, 3L], result.Rows.Select(r => r["i"]));
        Assert.Equal([2.5, 4.0], result.Rows.Select(r => r["r"]));
        Assert.Equal([false, true], result.Rows.Select(r => r["b"]));
        Assert.Equal(["5", "2.5"], result.Rows.Select(r => r["s"]));
        Assert.Equal([1.25m, 7m], result.Rows.Select(r => r["d"]));
        Assert.Equal("text as bytes"u8.ToArray(), result.Rows[0]["bin"]);
    }

    [Fact]
    public async Task Read_UnknownStream_ListsTheStreams()
    {
        Shop.Create(_fixture);

        var error = await Assert.ThrowsAsync<PluginException>(async () =>
        {
            await foreach (var batch in _fixture.Connector.ReadAsync(SqliteFixture.Options("shop.db"), new ReadRequest("nope", SyncMode.Full), _fixture.Context, CancellationToken.None))
            {
                batch.Dispose();
            }
        });

        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains("customers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_LeavesTheFileUntouched()
    {
        var path = Shop.Create(_fixture);
        var before = await File.ReadAllBytesAsync(path);
        var modified = File.GetLastWriteTimeUtc(path);

        await _fixture.Harness.CheckConformanceAsync(SqliteFixture.Options("shop.db"));

        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.Equal(modified, File.GetLastWriteTimeUtc(path));
        Assert.False(File.Exists(path + "-journal"));
    }

    [Fact]
    public async Task Read_BatchesHonourPreferredRows()
    {
        SqliteFixture.Create(Path.Combine(_fixture.Root, "many.db"), """
            CREATE TABLE n (id INTEGER PRIMARY KEY, v TEXT);
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2500) INSERT INTO n SELECT x, 'v' || x FROM c;
            """);
        var request = new ReadRequest("n", SyncMode.Full) { PreferredBatchRows = 1000 };

        var sizes = new List<int>();
        await foreach (var batch in _fixture.Connector.ReadAsync(SqliteFixture.Options("many.db"), request, _fixture.Context, CancellationToken.None))
        {
            using (batch)
            {
                sizes.Add(batch.Length);
            }
        }

        Assert.Equal([1000, 1000, 500], sizes);
    }

    [Fact]
    public void Sqlite_IsTheBundledEngine()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();

        // pragma_table_list (3.37) is how tables, views and shadow tables are told apart.
        Assert.True(Version.Parse(connection.ServerVersion) >= new Version(3, 37));
    }

    public void Dispose() => _fixture.Dispose();
}
