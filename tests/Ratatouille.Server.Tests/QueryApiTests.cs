using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ratatouille.Client;
using Ratatouille.Client.Contracts;
using Ratatouille.Testing;
using Refit;

namespace Ratatouille.Server.Tests;

public sealed class QueryApiTests : IClassFixture<QueryApiTests.Fixture>
{
    private readonly IRatatouilleApi _api;
    private readonly ApiFactory _factory;

    public QueryApiTests(Fixture fixture)
    {
        _factory = fixture.Factory;
        _api = fixture.Factory.Api;
    }

    [Fact]
    public async Task Export_Csv_StreamsAllRowsWithHeader()
    {
        using var response = await _api.ExportAsync(new QueryRequestDto { Sql = "SELECT i, 'x,' || i AS label FROM range(3) t(i)" }, "text/csv", TestTimeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("i,label\n0,\"x,0\"\n1,\"x,1\"\n2,\"x,2\"\n", await response.Content.ReadAsStringAsync(TestTimeout.Token));
    }

    [Fact]
    public async Task Export_ParquetAndArrow_ByAcceptHeader()
    {
        using var parquet = await _api.ExportAsync(new QueryRequestDto { Sql = "SELECT * FROM range(2000)" }, "application/vnd.apache.parquet", TestTimeout.Token);
        var bytes = await parquet.Content.ReadAsByteArrayAsync(TestTimeout.Token);
        Assert.Equal("PAR1", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("PAR1", System.Text.Encoding.ASCII.GetString(bytes, bytes.Length - 4, 4));

        using var arrow = await _api.ExportAsync(new QueryRequestDto { Sql = "SELECT i FROM range(2000) t(i)" }, "application/vnd.apache.arrow.stream", TestTimeout.Token);
        using var reader = new Apache.Arrow.Ipc.ArrowStreamReader(await arrow.Content.ReadAsStreamAsync(TestTimeout.Token));
        long rows = 0;
        while (await reader.ReadNextRecordBatchAsync(TestTimeout.Token) is { } batch)
        {
            rows += batch.Length;
        }

        Assert.Equal(2000, rows);
    }

    [Fact]
    public async Task Export_UnsupportedAccept_Is406()
    {
        using var response = await _api.ExportAsync(new QueryRequestDto { Sql = "SELECT 1" }, "image/png", TestTimeout.Token);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task Query_Refused_Is400WithClearTitle()
    {
        var ex = await Assert.ThrowsAnyAsync<ApiException>(() => _api.QueryAsync(new QueryRequestDto { Sql = "COPY (SELECT 1) TO '/tmp/x.csv'" }, TestTimeout.Token));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        var problem = await ApiFactory.ProblemAsync(ex);
        Assert.Equal("Statement refused", problem.GetProperty("title").GetString());
        Assert.Contains("read-only SELECT", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_Error_CarriesLineAndColumn()
    {
        var ex = await Assert.ThrowsAnyAsync<ApiException>(() => _api.QueryAsync(new QueryRequestDto { Sql = "SELECT 1,\n  missing_col" }, TestTimeout.Token));

        var problem = await ApiFactory.ProblemAsync(ex);
        Assert.Equal(2, problem.GetProperty("line").GetInt32());
        Assert.Equal(3, problem.GetProperty("column").GetInt32());
        Assert.Contains("missing_col", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "application/json")]
    [InlineData("{\"limit\": 5}", "application/json")]
    [InlineData("{\"sql\": \"   \"}", "application/json")]
    public async Task Query_MalformedBody_Is400ProblemWithReason(string body, string contentType)
    {
        using var client = _factory.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/query", new StringContent(body, System.Text.Encoding.UTF8, contentType), TestTimeout.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeout.Token)).RootElement;
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Query_GetWithoutSql_Is400()
    {
        using var client = _factory.CreateAdminClient();
        using var response = await client.GetAsync("/api/v1/query?format=csv", TestTimeout.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("sql is required", await response.Content.ReadAsStringAsync(TestTimeout.Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_GetWithFormatParameter_DownloadsCsv()
    {
        using var client = _factory.CreateAdminClient();
        using var response = await client.GetAsync("/api/v1/query?sql=SELECT%2042%20AS%20answer&format=csv", TestTimeout.Token);

        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("answer\n42\n", await response.Content.ReadAsStringAsync(TestTimeout.Token));
    }

    [Fact]
    public async Task Rows_FiltersSelectOrderAndPaging()
    {
        await _api.UploadAsync("silver", "people", ApiFactory.Csv("id,name,age\n1,ann,31\n2,bob,17\n3,cid,45\n4,dan,45\n5,eve,\n"), cancellationToken: TestTimeout.Token);

        var adults = await _api.GetRowsAsync("silver", "people", new RowsOptions { Filter = ["age:ge:18"], Select = "name", OrderBy = "age:desc,name", Limit = 2 }, TestTimeout.Token);
        Assert.Equal(["cid", "dan"], adults.Rows.Select(r => r[0].GetString()!).ToArray());
        Assert.True(adults.Truncated);
        Assert.NotNull(adults.SnapshotId);

        var next = await _api.GetRowsAsync("silver", "people", new RowsOptions { Filter = ["age:ge:18"], Select = "name", OrderBy = "age:desc,name", Limit = 2, Offset = 2, Snapshot = adults.SnapshotId }, TestTimeout.Token);
        Assert.Equal(["ann"], next.Rows.Select(r => r[0].GetString()!).ToArray());

        var unknownAge = await _api.GetRowsAsync("silver", "people", new RowsOptions { Filter = ["age:isnull"], Select = "name" }, TestTimeout.Token);
        Assert.Equal("eve", Assert.Single(unknownAge.Rows)[0].GetString());

        var some = await _api.GetRowsAsync("silver", "people", new RowsOptions { Filter = ["name:in:ann|eve", "id:lt:5"] }, TestTimeout.Token);
        Assert.Equal(1, some.RowCount);
    }

    [Theory]
    [InlineData("filter", "name:eq:x' OR '1'='1", 0)]
    [InlineData("filter", "name:like:%' OR 1=1 --", 0)]
    public async Task Rows_InjectionInFilterValues_IsJustAValue(string key, string value, int expectedRows)
    {
        await _api.UploadAsync("silver", "inj", ApiFactory.Csv("id,name\n1,x\n"), new UploadOptions { Mode = "replace" }, TestTimeout.Token);
        using var client = _factory.CreateAdminClient();

        var page = await client.GetFromJsonAsync<QueryResultDto>($"/api/v1/datasets/silver/inj/rows?{key}={Uri.EscapeDataString(value)}", TestTimeout.Token);

        Assert.Equal(expectedRows, page!.RowCount);
    }

    [Theory]
    [InlineData("select=id;DROP", "has no column")]
    [InlineData("orderBy=id:sideways", "asc or desc")]
    [InlineData("filter=id:between:1", "Unknown filter operator")]
    [InlineData("filter=id:gt:abc", "Conversion")]
    [InlineData("offset=-1", "offset")]
    public async Task Rows_BadParameters_Are400WithDetail(string query, string detail)
    {
        await _api.UploadAsync("silver", "bad", ApiFactory.Csv("id,name\n1,x\n"), new UploadOptions { Mode = "replace" }, TestTimeout.Token);
        using var client = _factory.CreateAdminClient();

        using var response = await client.GetAsync($"/api/v1/datasets/silver/bad/rows?{query}", TestTimeout.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeout.Token)).RootElement;
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ReadyReportsEachComponent()
    {
        using var client = _factory.CreateAdminClient();
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready", TestTimeout.Token);

        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal("ok", ready.GetProperty("checks").GetProperty("metadata").GetString());
        Assert.Equal("ok", ready.GetProperty("checks").GetProperty("queryEngine").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", TestTimeout.Token)).StatusCode);
    }

    [Fact]
    public async Task Swagger_DocumentsEveryApiEndpointWithSummary()
    {
        using var client = _factory.CreateAdminClient();
        var doc = await client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json", TestTimeout.Token);
        var paths = doc.GetProperty("paths");

        foreach (var path in new[] { "/api/v1/datasets", "/api/v1/datasets/{layer}/{name}", "/api/v1/datasets/{layer}/{name}/upload", "/api/v1/datasets/{layer}/{name}/snapshots",
            "/api/v1/datasets/{layer}/{name}/rollback", "/api/v1/datasets/{layer}/{name}/rows", "/api/v1/query", "/api/v1/maintenance/vacuum", "/health/live", "/health/ready" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from Swagger");
        }

        foreach (var path in paths.EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                Assert.True(operation.Value.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 0, $"{operation.Name} {path.Name} has no summary");
            }
        }
    }

    public sealed class Fixture : IDisposable
    {
        public ApiFactory Factory { get; } = new();

        public void Dispose() => Factory.Dispose();
    }
}
