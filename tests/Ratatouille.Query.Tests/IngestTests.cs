using Ratatouille.Catalog.Model;

namespace Ratatouille.Query.Tests;

public sealed class IngestTests : IAsyncLifetime
{
    private KernelHarness _kernel = null!;

    public async Task InitializeAsync() => _kernel = await KernelHarness.StartAsync();

    public async Task DisposeAsync() => await _kernel.DisposeAsync();

    [Fact]
    public async Task Csv_LeadingZerosQuotesNewlinesUtf8AndCrlf_SurviveExactly()
    {
        var csv = "id,zip,note\r\n1,00123,\"say \"\"hi\"\", then, go\"\r\n2,01000,\"two\r\nlines\"\r\n3,99999,héllo wörld ✓\r\n";

        var result = await _kernel.IngestTextAsync("bronze.edge", "edge.csv", csv);

        Assert.Equal(3, result.RowsWritten);
        using var doc = await _kernel.QueryJsonAsync("SELECT zip, note FROM bronze.edge ORDER BY id");
        var rows = doc.RootElement.GetProperty("rows");
        Assert.Equal("00123", rows[0][0].GetString());
        Assert.Equal("01000", rows[1][0].GetString());
        Assert.Equal("say \"hi\", then, go", rows[0][1].GetString());
        Assert.Equal("two\r\nlines", rows[1][1].GetString());
        Assert.Equal("héllo wörld ✓", rows[2][1].GetString());
    }

    [Fact]
    public async Task Csv_Overrides_DelimiterHeaderAndTypes()
    {
        var result = await _kernel.IngestTextAsync("bronze.semi", "data.txt", "1;0042;2.5\n2;0007;3\n", new IngestOptions
        {
            Delimiter = ";",
            Header = false,
            Types = new Dictionary<string, string> { ["column1"] = "VARCHAR", ["column2"] = "DECIMAL(10,2)" },
        });

        Assert.Equal(["column0", "column1", "column2"], result.Snapshot.Schema.Select(c => c.Name).ToArray());
        Assert.Equal("VARCHAR", result.Snapshot.Schema[1].Type);
        Assert.Equal("DECIMAL(10,2)", result.Snapshot.Schema[2].Type);
        using var doc = await _kernel.QueryJsonAsync("SELECT column1, column2 FROM bronze.semi ORDER BY column0");
        Assert.Equal("0042", doc.RootElement.GetProperty("rows")[0][0].GetString());
        Assert.Equal(2.50m, doc.RootElement.GetProperty("rows")[0][1].GetDecimal());
    }

    [Fact]
    public async Task Json_ArrayAndNewlineDelimited_BothLoad()
    {
        await _kernel.IngestTextAsync("bronze.ja", "a.json", """[{"a":1,"b":"x"},{"a":2,"b":null,"c":[1,2]}]""");
        await _kernel.IngestTextAsync("bronze.jn", "a.ndjson", "{\"a\":1}\n{\"a\":2,\"tags\":[\"x\"]}\n");

        using var doc = await _kernel.QueryJsonAsync("SELECT (SELECT count(*) FROM bronze.ja), (SELECT count(*) FROM bronze.jn), (SELECT c FROM bronze.ja WHERE a = 2)");
        var row = doc.RootElement.GetProperty("rows")[0];
        Assert.Equal(2, row[0].GetInt32());
        Assert.Equal(2, row[1].GetInt32());
        Assert.Equal("[1,2]", row[2].GetRawText());
    }

    [Fact]
    public async Task Malformed_File_IsRejectedWithReason_AndNothingCommitted()
    {
        await _kernel.IngestTextAsync("bronze.bad", "ok.csv", "id,v\n1,a\n");

        var ex = await Assert.ThrowsAsync<IngestException>(() => _kernel.IngestTextAsync("bronze.bad", "bad.json", "{\"a\": 1,,, nope"));

        Assert.Contains("bad.json", ex.Message, StringComparison.Ordinal);
        var dataset = await _kernel.Catalog.GetDatasetAsync(DatasetName.Parse("bronze.bad"), Testing.TestTimeout.Token);
        Assert.Equal(1, dataset.Current!.RowCount);
        Assert.Single(await _kernel.Catalog.ListSnapshotsAsync(DatasetName.Parse("bronze.bad"), Testing.TestTimeout.Token));
    }

    [Fact]
    public async Task Csv_ValueThatBreaksTheOverriddenType_NamesTheLine()
    {
        var ex = await Assert.ThrowsAsync<IngestException>(() => _kernel.IngestTextAsync("bronze.typed", "t.csv", "id,n\n1,5\n2,five\n",
            new IngestOptions { Types = new Dictionary<string, string> { ["n"] = "INTEGER" } }));

        Assert.Contains("five", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Append_WithNewColumn_OlderRowsReadNull_AndIncompatibleTypeFails()
    {
        await _kernel.IngestTextAsync("bronze.evo", "a.csv", "id,name\n1,a\n");
        await _kernel.IngestTextAsync("bronze.evo", "b.csv", "id,name,country\n2,b,FR\n");

        using var doc = await _kernel.QueryJsonAsync("SELECT id, country FROM bronze.evo ORDER BY id");
        var rows = doc.RootElement.GetProperty("rows");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, rows[0][1].ValueKind);
        Assert.Equal("FR", rows[1][1].GetString());

        var ex = await Assert.ThrowsAsync<CatalogException>(() => _kernel.IngestTextAsync("bronze.evo", "c.csv", "id,name\nthree,c\n"));
        Assert.Equal(CatalogError.SchemaConflict, ex.Error);
        using var after = await _kernel.QueryJsonAsync("SELECT count(*) FROM bronze.evo");
        Assert.Equal(2, after.RootElement.GetProperty("rows")[0][0].GetInt32());
    }

    [Fact]
    public async Task Append_WiderType_WidensTheDataset()
    {
        await _kernel.IngestTextAsync("bronze.wide", "a.csv", "id,v\n1,10\n");
        var result = await _kernel.IngestTextAsync("bronze.wide", "b.csv", "id,v\n2,2.5\n");

        Assert.Equal("DOUBLE", result.Snapshot.Schema.Single(c => c.Name == "v").Type);
        using var doc = await _kernel.QueryJsonAsync("SELECT sum(v) FROM bronze.wide");
        Assert.Equal(12.5, doc.RootElement.GetProperty("rows")[0][0].GetDouble());
    }

    [Fact]
    public async Task TimeTravel_ReadsOlderSnapshot()
    {
        var first = await _kernel.IngestTextAsync("bronze.tt", "a.csv", "id\n1\n2\n");
        await _kernel.IngestTextAsync("bronze.tt", "b.csv", "id\n3\n", mode: WriteMode.Replace);

        using var now = await _kernel.QueryJsonAsync("SELECT count(*) FROM bronze.tt");
        using var then = await _kernel.QueryJsonAsync("SELECT count(*) FROM bronze.tt", snapshots: new Dictionary<string, long> { ["bronze.tt"] = first.Snapshot.Id });

        Assert.Equal(1, now.RootElement.GetProperty("rows")[0][0].GetInt32());
        Assert.Equal(2, then.RootElement.GetProperty("rows")[0][0].GetInt32());
    }
}
