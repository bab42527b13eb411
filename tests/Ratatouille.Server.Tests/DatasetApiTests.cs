using System.Net;
using Ratatouille.Client;
using Ratatouille.Client.Contracts;
using Ratatouille.Testing;
using Refit;

namespace Ratatouille.Server.Tests;

public sealed class DatasetApiTests : IClassFixture<DatasetApiTests.Fixture>
{
    private readonly IRatatouilleApi _api;
    private readonly ApiFactory _factory;

    public DatasetApiTests(Fixture fixture)
    {
        _factory = fixture.Factory;
        _api = fixture.Factory.Api;
    }

    [Fact]
    public async Task Upload_ThenListGetQuery_ShowsTheData()
    {
        var upload = await _api.UploadAsync("bronze", "customers", ApiFactory.Csv("id,zip,name\n1,00123,\"Smith, J\"\n2,75001,Ann\n"), cancellationToken: TestTimeout.Token);

        Assert.Equal("bronze.customers", upload.Dataset);
        Assert.Equal(2, upload.RowCount);
        Assert.Equal(["BIGINT", "VARCHAR", "VARCHAR"], upload.Columns.Select(c => c.Type).ToArray());
        Assert.StartsWith("landing/uploads/", upload.LandingKey, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_factory.DataDirectory, upload.LandingKey!)));

        var list = await _api.ListDatasetsAsync(TestTimeout.Token);
        var summary = Assert.Single(list, d => d.FullName == "bronze.customers");
        Assert.Equal(2, summary.RowCount);
        Assert.True(summary.Bytes > 0);

        var detail = await _api.GetDatasetAsync("bronze", "customers", TestTimeout.Token);
        Assert.Equal(upload.SnapshotId, detail.Dataset.CurrentSnapshotId);
        Assert.Equal(["id", "zip", "name"], detail.Columns.Select(c => c.Name).ToArray());

        var result = await _api.QueryAsync(new QueryRequestDto { Sql = "SELECT zip, name FROM bronze.customers ORDER BY id" }, TestTimeout.Token);
        Assert.Equal("00123", result.Rows[0][0].GetString());
        Assert.Equal("Smith, J", result.Rows[0][1].GetString());
        Assert.False(result.Truncated);
    }

    [Fact]
    public async Task Upload_ModeCreateOnExisting_Is409_AndReplaceRedefines()
    {
        await _api.UploadAsync("silver", "modes", ApiFactory.Csv("a\n1\n"), new UploadOptions { Mode = "create" }, TestTimeout.Token);

        var ex = await Assert.ThrowsAnyAsync<ApiException>(() => _api.UploadAsync("silver", "modes", ApiFactory.Csv("a\n2\n"), new UploadOptions { Mode = "create" }, TestTimeout.Token));
        Assert.Equal(HttpStatusCode.Conflict, ex.StatusCode);
        Assert.Contains("already exists", (await ApiFactory.ProblemAsync(ex)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var replaced = await _api.UploadAsync("silver", "modes", ApiFactory.Csv("b,c\nx,y\n"), new UploadOptions { Mode = "replace" }, TestTimeout.Token);
        Assert.Equal(1, replaced.TotalRows);
        Assert.Equal(["b", "c"], replaced.Columns.Select(c => c.Name).ToArray());
    }

    [Fact]
    public async Task Upload_MalformedFile_Is400WithReason_AndNothingCommitted()
    {
        await _api.UploadAsync("bronze", "strict", ApiFactory.Csv("id,n\n1,2\n"), cancellationToken: TestTimeout.Token);

        var ex = await Assert.ThrowsAnyAsync<ApiException>(() => _api.UploadAsync("bronze", "strict", ApiFactory.Csv("id,n\n3,abc\n", "more.csv"),
            new UploadOptions { Types = ["n:INTEGER"] }, TestTimeout.Token));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        var detail = (await ApiFactory.ProblemAsync(ex)).GetProperty("detail").GetString()!;
        Assert.Contains("more.csv", detail, StringComparison.Ordinal);
        Assert.Contains("abc", detail, StringComparison.Ordinal);
        Assert.Single(await _api.ListSnapshotsAsync("bronze", "strict", TestTimeout.Token));
        Assert.Equal(1, (await _api.GetDatasetAsync("bronze", "strict", TestTimeout.Token)).Dataset.RowCount);
    }

    [Theory]
    [InlineData("platinum", "x", "data.csv", HttpStatusCode.BadRequest, "Unknown layer")]
    [InlineData("bronze", "Bad-Name", "data.csv", HttpStatusCode.BadRequest, "Invalid dataset name")]
    [InlineData("bronze", "noformat", "data.xyz", HttpStatusCode.BadRequest, "Cannot tell the format")]
    public async Task Upload_BadInput_IsProblemWithUsefulDetail(string layer, string name, string file, HttpStatusCode status, string detail)
    {
        var ex = await Assert.ThrowsAnyAsync<ApiException>(() => _api.UploadAsync(layer, name, ApiFactory.Csv("a\n1\n", file), cancellationToken: TestTimeout.Token));

        Assert.Equal(status, ex.StatusCode);
        Assert.StartsWith(detail, (await ApiFactory.ProblemAsync(ex)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_WithoutMultipart_Is415()
    {
        using var client = _factory.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/datasets/bronze/x/upload", new StringContent("id\n1\n"), TestTimeout.Token);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var missing = await Assert.ThrowsAnyAsync<ApiException>(() => _factory.Api.GetDatasetAsync("bronze", "x", TestTimeout.Token));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Snapshots_Rollback_And_TimeTravel()
    {
        var first = await _api.UploadAsync("gold", "kpi", ApiFactory.Csv("k,v\na,1\n"), cancellationToken: TestTimeout.Token);
        await _api.UploadAsync("gold", "kpi", ApiFactory.Csv("k,v,extra\nb,2,x\n"), cancellationToken: TestTimeout.Token);

        var snapshots = await _api.ListSnapshotsAsync("gold", "kpi", TestTimeout.Token);
        Assert.Equal(["append", "create"], snapshots.Select(s => s.Operation).ToArray());

        var old = await _api.QueryAsync(new QueryRequestDto { Sql = "SELECT count(*) FROM gold.kpi", Snapshots = new Dictionary<string, long> { ["gold.kpi"] = first.SnapshotId } }, TestTimeout.Token);
        Assert.Equal(1, old.Rows[0][0].GetInt64());

        var rolled = await _api.RollbackAsync("gold", "kpi", new RollbackRequest(first.SnapshotId), TestTimeout.Token);
        Assert.Equal("rollback", rolled.Operation);
        var detail = await _api.GetDatasetAsync("gold", "kpi", TestTimeout.Token);
        Assert.Equal(1, detail.Dataset.RowCount);
        Assert.Equal(["k", "v"], detail.Columns.Select(c => c.Name).ToArray());
        var now = await _api.QueryAsync(new QueryRequestDto { Sql = "SELECT k FROM gold.kpi" }, TestTimeout.Token);
        Assert.Equal("a", Assert.Single(now.Rows)[0].GetString());

        var missing = await Assert.ThrowsAnyAsync<ApiException>(() => _api.RollbackAsync("gold", "kpi", new RollbackRequest(424242), TestTimeout.Token));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ConcurrentUploads_ToOneDataset_AllLand()
    {
        var uploads = Enumerable.Range(0, 6).Select(i => _api.UploadAsync("bronze", "concurrent", ApiFactory.Csv($"i\n{i}\n{i}\n"), cancellationToken: TestTimeout.Token));
        var results = await Task.WhenAll(uploads);

        Assert.Equal(6, results.Select(r => r.SnapshotId).Distinct().Count());
        Assert.Equal(12, (await _api.GetDatasetAsync("bronze", "concurrent", TestTimeout.Token)).Dataset.RowCount);
        var sum = await _api.QueryAsync(new QueryRequestDto { Sql = "SELECT sum(i) FROM bronze.concurrent" }, TestTimeout.Token);
        Assert.Equal(30, sum.Rows[0][0].GetInt64());
    }

    [Fact]
    public async Task Delete_RemovesDataset_ThenGetIs404()
    {
        await _api.UploadAsync("bronze", "gone", ApiFactory.Csv("a\n1\n"), cancellationToken: TestTimeout.Token);

        await _api.DeleteDatasetAsync("bronze", "gone", TestTimeout.Token);

        var ex = await Assert.ThrowsAnyAsync<ApiException>(() => _api.GetDatasetAsync("bronze", "gone", TestTimeout.Token));
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        var query = await Assert.ThrowsAnyAsync<ApiException>(() => _api.QueryAsync(new QueryRequestDto { Sql = "SELECT * FROM bronze.gone" }, TestTimeout.Token));
        Assert.Equal(HttpStatusCode.BadRequest, query.StatusCode);
    }

    [Fact]
    public async Task Vacuum_RemovesReplacedFiles()
    {
        await _api.UploadAsync("bronze", "vac", ApiFactory.Csv("a\n1\n"), cancellationToken: TestTimeout.Token);
        await _api.UploadAsync("bronze", "vac", ApiFactory.Csv("a\n2\n"), new UploadOptions { Mode = "replace" }, TestTimeout.Token);

        var result = await _api.VacuumAsync(new VacuumRequest { RetentionHours = 0, OrphanGraceMinutes = 60 }, TestTimeout.Token);

        Assert.True(result.DeletedFiles >= 1);
        Assert.Equal(1, (await _api.QueryAsync(new QueryRequestDto { Sql = "SELECT count(*) FROM bronze.vac" }, TestTimeout.Token)).Rows[0][0].GetInt64());
    }

    public sealed class Fixture : IDisposable
    {
        public ApiFactory Factory { get; } = new();

        public void Dispose() => Factory.Dispose();
    }
}
