using System.Text.Json;
using Ratatouille.Catalog.Model;

namespace Ratatouille.Query.Tests;

public sealed class TypeFidelityTests : IAsyncLifetime
{
    private const string Typed = """
        SELECT '12345678901234567890123456789.123456789'::DECIMAL(38,9) AS dec,
               170141183460469231731687303715884105727::HUGEINT AS huge,
               TIMESTAMPTZ '2024-03-10 12:34:56.789+02' AS tstz,
               DATE '1999-12-31' AS d,
               [1, 2, NULL]::INTEGER[] AS list,
               {'a': 1, 'b': 'x'} AS struct,
               NULL::VARCHAR AS nothing,
               'quote " and , comma' AS text,
               'nan'::DOUBLE AS nan,
               0.1::DOUBLE AS tenth
        """;

    private KernelHarness _kernel = null!;

    public async Task InitializeAsync() => _kernel = await KernelHarness.StartAsync();

    public async Task DisposeAsync() => await _kernel.DisposeAsync();

    [Fact]
    public async Task Json_KeepsExactValuesAndTypes()
    {
        using var doc = await _kernel.QueryJsonAsync(Typed);
        var columns = doc.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("type").GetString()!).ToArray();
        var row = doc.RootElement.GetProperty("rows")[0];

        Assert.Equal(["DECIMAL(38,9)", "HUGEINT", "TIMESTAMP WITH TIME ZONE", "DATE", "INTEGER[]", "STRUCT(a INTEGER, b VARCHAR)", "VARCHAR", "VARCHAR", "DOUBLE", "DOUBLE"], columns);
        Assert.Equal("12345678901234567890123456789.123456789", row[0].GetRawText());
        Assert.Equal("170141183460469231731687303715884105727", row[1].GetRawText());
        Assert.Equal("2024-03-10 10:34:56.789+00", row[2].GetString());
        Assert.Equal("1999-12-31", row[3].GetString());
        Assert.Equal("[1,2,null]", row[4].GetRawText());
        Assert.Equal("""{"a":1,"b":"x"}""", row[5].GetRawText());
        Assert.Equal(JsonValueKind.Null, row[6].ValueKind);
        Assert.Equal("quote \" and , comma", row[7].GetString());
        Assert.Equal("nan", row[8].GetString());
        Assert.Equal(0.1, row[9].GetDouble());
    }

    [Fact]
    public async Task Json_StaysValid_WhenNestedValuesHoldNaNOrInfinity()
    {
        using var doc = await _kernel.QueryJsonAsync(
            "SELECT ['nan'::DOUBLE, 1.5] AS l, {'x': 'inf'::FLOAT, 'y': 2} AS s, MAP {'k': '-inf'::DOUBLE} AS m, [[1.25::DOUBLE]] AS fine");
        var row = doc.RootElement.GetProperty("rows")[0];

        Assert.Contains("nan", row[0].ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("1.5", row[0].ToString());
        Assert.Contains("inf", row[1].ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("inf", row[2].ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("[[1.25]]", row[3].GetRawText()); // finite nested values stay JSON values
    }

    [Fact]
    public async Task Csv_QuotesWhatNeedsQuoting_AndKeepsDecimalsExact()
    {
        var csv = await _kernel.QueryTextAsync("SELECT 'a,b' AS \"x,y\", 1.50::DECIMAL(10,2) AS p, NULL AS n, 'line1\nline2' AS m, '' AS e", OutputFormat.Csv);

        Assert.Equal("\"x,y\",p,n,m,e\n\"a,b\",1.50,,\"line1\nline2\",\"\"\n", csv);
    }

    [Fact]
    public async Task Json_RowLimit_TruncatesAndSaysSo()
    {
        using var doc = await _kernel.QueryJsonAsync("SELECT * FROM range(10)", limit: 3);

        Assert.Equal(3, doc.RootElement.GetProperty("rowCount").GetInt32());
        Assert.True(doc.RootElement.GetProperty("truncated").GetBoolean());
        Assert.Equal(3, doc.RootElement.GetProperty("rows").GetArrayLength());
    }

    [Fact]
    public async Task Parquet_And_Arrow_ExportAllRows()
    {
        using var parquet = new MemoryStream();
        await _kernel.Engine.RunAsync(new QueryRequest("SELECT * FROM range(5000) t(i)"), OutputFormat.Parquet, parquet, Testing.TestTimeout.Token);
        Assert.Equal("PAR1", System.Text.Encoding.ASCII.GetString(parquet.ToArray()[..4]));

        using var arrow = new MemoryStream();
        await _kernel.Engine.RunAsync(new QueryRequest("SELECT i, i * 2 AS j FROM range(5000) t(i)"), OutputFormat.Arrow, arrow, Testing.TestTimeout.Token);
        arrow.Position = 0;
        using var reader = new Apache.Arrow.Ipc.ArrowStreamReader(arrow);
        long rows = 0;
        while (await reader.ReadNextRecordBatchAsync() is { } batch)
        {
            rows += batch.Length;
        }

        Assert.Equal(["i", "j"], reader.Schema.FieldsList.Select(f => f.Name).ToArray());
        Assert.Equal(5000, rows);
    }
}
