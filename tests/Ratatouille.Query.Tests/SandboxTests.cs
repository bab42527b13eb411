namespace Ratatouille.Query.Tests;

public sealed class SandboxTests : IAsyncLifetime
{
    private KernelHarness _kernel = null!;

    public async Task InitializeAsync()
    {
        _kernel = await KernelHarness.StartAsync();
        await _kernel.IngestTextAsync("bronze.t", "t.csv", "id,v\n1,a\n2,b\n");
    }

    public async Task DisposeAsync() => await _kernel.DisposeAsync();

    [Theory]
    [InlineData("COPY (SELECT 1) TO '/tmp/out.csv'")]
    [InlineData("ATTACH '/tmp/x.db' AS x")]
    [InlineData("INSTALL httpfs")]
    [InlineData("LOAD httpfs")]
    [InlineData("SET enable_external_access=true")]
    [InlineData("PRAGMA enable_profiling")]
    [InlineData("CREATE TABLE x AS SELECT 1")]
    [InlineData("DROP VIEW bronze.t")]
    [InlineData("INSERT INTO bronze.t VALUES (3, 'c')")]
    [InlineData("DELETE FROM bronze.t")]
    [InlineData("SELECT 1; DROP VIEW bronze.t")]
    [InlineData("EXPORT DATABASE '/tmp/dump'")]
    public async Task RunAsync_NonSelectStatement_IsRefused(string sql)
    {
        var ex = await Assert.ThrowsAsync<QueryException>(() => _kernel.QueryJsonAsync(sql));

        Assert.Equal(QueryErrorKind.Refused, ex.Kind);
        using var still = await _kernel.QueryJsonAsync("SELECT count(*) FROM bronze.t");
        Assert.Equal(2, still.RootElement.GetProperty("rows")[0][0].GetInt32());
    }

    [Theory]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')")]
    [InlineData("SELECT * FROM read_text('/etc/hostname')")]
    [InlineData("SELECT * FROM glob('/etc/*')")]
    [InlineData("SELECT * FROM read_parquet('/tmp/../etc/x.parquet')")]
    [InlineData("SELECT * FROM read_json('http://example.com/x.json')")]
    public async Task RunAsync_FileOrNetworkAccessOutsideWarehouse_IsRefused(string sql)
    {
        var ex = await Assert.ThrowsAsync<QueryException>(() => _kernel.QueryJsonAsync(sql));

        Assert.Equal(QueryErrorKind.Refused, ex.Kind);
        Assert.Contains("sandbox", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RunAsync_QueryFunctionCannotSmuggleDdl()
    {
        var ex = await Assert.ThrowsAsync<QueryException>(() => _kernel.QueryJsonAsync("SELECT * FROM query('CREATE TABLE z AS SELECT 1')"));

        Assert.NotEqual(QueryErrorKind.Timeout, ex.Kind);
    }

    [Fact]
    public async Task RunAsync_SyntaxError_ReportsPositionInUserText()
    {
        var ex = await Assert.ThrowsAsync<QueryException>(() => _kernel.QueryJsonAsync("SELECT id\nFROM bronze.t\nWHERE nope = 1"));

        Assert.Equal(QueryErrorKind.Invalid, ex.Kind);
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
        Assert.Equal((3, 7), ex.LineColumn("SELECT id\nFROM bronze.t\nWHERE nope = 1"));
    }

    [Fact]
    public async Task RunAsync_LongQuery_TimesOut()
    {
        await using var slow = await KernelHarness.StartAsync(new() { ["Query:Timeout"] = "00:00:01" });

        var ex = await Assert.ThrowsAsync<QueryException>(() => slow.QueryJsonAsync("SELECT count(*) FROM range(100000000000) a"));

        Assert.Equal(QueryErrorKind.Timeout, ex.Kind);
    }

    [Fact]
    public async Task RunAsync_CallerCancels_StopsQuery()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _kernel.Engine.RunAsync(new QueryRequest("SELECT count(*) FROM range(100000000000) a"), OutputFormat.Json, new MemoryStream(), cts.Token));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task RunAsync_SettingsAreLocked_AndMemoryLimitApplied()
    {
        using var doc = await _kernel.QueryJsonAsync("SELECT current_setting('memory_limit'), current_setting('enable_external_access'), current_setting('lock_configuration')");
        var row = doc.RootElement.GetProperty("rows")[0];

        Assert.Contains("GiB", row[0].GetString(), StringComparison.Ordinal);
        Assert.False(row[1].GetBoolean());
        Assert.True(row[2].GetBoolean());
    }
}
