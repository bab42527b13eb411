using System.Net;
using Ratatouille.Testing;
using Refit;

namespace Ratatouille.Server.Tests;

public sealed class UploadLimitTests
{
    [Fact]
    public async Task Upload_LargerThanTheLimit_Is413_AndNothingIsKept()
    {
        await using var factory = new ApiFactory(new() { ["Ingest:MaxUploadMb"] = "1" });
        var big = "id,text\n" + string.Concat(Enumerable.Range(0, 40_000).Select(i => $"{i},{new string('x', 40)}\n"));

        var ex = await Assert.ThrowsAnyAsync<ApiException>(() => factory.Api.UploadAsync("bronze", "big", ApiFactory.Csv(big), cancellationToken: TestTimeout.Token));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, ex.StatusCode);
        Assert.Contains("1 MB", (await ApiFactory.ProblemAsync(ex)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await factory.Api.ListDatasetsAsync(TestTimeout.Token));
        Assert.False(Directory.Exists(Path.Combine(factory.DataDirectory, "landing")) && Directory.EnumerateFiles(Path.Combine(factory.DataDirectory, "landing"), "*", SearchOption.AllDirectories).Any());
    }
}
