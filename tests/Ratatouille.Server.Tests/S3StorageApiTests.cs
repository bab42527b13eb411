using Ratatouille.Client.Contracts;
using Ratatouille.Testing;

namespace Ratatouille.Server.Tests;

/// <summary>The whole write/read path with the S3 object store (a real S3 server process) and the node-local cache.</summary>
public sealed class S3StorageApiTests : IAsyncLifetime
{
    private S3Server _s3 = null!;
    private ApiFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _s3 = await S3Server.StartAsync("warehouse");
        _factory = new ApiFactory(new()
        {
            ["Storage:Provider"] = "s3",
            ["Storage:S3:Endpoint"] = _s3.Endpoint.ToString(),
            ["Storage:S3:Bucket"] = "lake",
            ["Storage:S3:AccessKey"] = S3Server.Key,
            ["Storage:S3:SecretKey"] = S3Server.Key,
        });
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _s3.DisposeAsync();
    }

    [Fact]
    public async Task UploadQueryTimeTravel_WorkOnS3()
    {
        try
        {
            await RunAsync();
        }
        catch (Refit.ApiException ex)
        {
            Assert.Fail(ex.Content);
        }
    }

    private async Task RunAsync()
    {
        var api = _factory.Api;
        var first = await api.UploadAsync("bronze", "s3data", ApiFactory.Csv("id,v\n1,a\n2,b\n"), cancellationToken: TestTimeout.Token);
        await api.UploadAsync("bronze", "s3data", ApiFactory.Csv("id,v\n3,c\n"), cancellationToken: TestTimeout.Token);

        var cached = Directory.GetFiles(Path.Combine(_factory.DataDirectory, "cache"), "*", SearchOption.AllDirectories);
        Assert.True(cached.Length == 2, string.Join(",", cached) + " | " + string.Join(",", Directory.GetFiles(_factory.DataDirectory, "*", SearchOption.AllDirectories)));
        var now = await api.QueryAsync(new QueryRequestDto { Sql = "SELECT count(*), max(v) FROM bronze.s3data" }, TestTimeout.Token);
        Assert.Equal(3, now.Rows[0][0].GetInt64());
        Assert.Equal("c", now.Rows[0][1].GetString());

        // Empty the node-local cache: the next query must fetch the files from S3 again.
        Directory.Delete(Path.Combine(_factory.DataDirectory, "cache"), recursive: true);
        var then = await api.QueryAsync(new QueryRequestDto { Sql = "SELECT count(*) FROM bronze.s3data", Snapshots = new Dictionary<string, long> { ["bronze.s3data"] = first.SnapshotId } }, TestTimeout.Token);
        Assert.Equal(2, then.Rows[0][0].GetInt64());

        var objects = Directory.GetFiles(Path.Combine(_s3.Directory, "lake"), "*", SearchOption.AllDirectories);
        Assert.Contains(objects, o => o.Contains("warehouse", StringComparison.Ordinal) && o.Contains("s3data", StringComparison.Ordinal));
        Assert.Contains(objects, o => o.Contains("landing", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_factory.DataDirectory, "warehouse")));
    }
}
