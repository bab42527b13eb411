using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ratatouille.Testing;
using Xunit.Abstractions;

namespace Ratatouille.Server.Tests;

/// <summary>
/// kill -9 of a real server process while uploads are being written, then a restart on the same
/// data directory: every dataset must be at a snapshot that was fully committed, and every file a
/// snapshot names must be readable.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillDuringWrites_RestartLeavesEveryDatasetAtACommittedSnapshot()
    {
        var data = RepositoryPaths.NewTempFolder("crash");
        var batch = new StringBuilder("id,payload\n");
        for (var i = 0; i < 20_000; i++)
        {
            batch.Append(i).Append(",row-").Append(i).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(batch.ToString());
        var random = new Random(42);
        for (var round = 0; round < 3; round++)
        {
            long committedBefore;
            await using (var server = await ServerProcess.StartAsync(data, cancellationToken: TestTimeout.Token))
            {
                using var http = await server.CreateClientAsync(cancellationToken: TestTimeout.Token);
                using (var first = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "batch.csv" } })
                {
                    (await http.PostAsync("/api/v1/datasets/bronze/crash/upload", first, TestTimeout.Token)).EnsureSuccessStatusCode();
                }

                committedBefore = await RowCountAsync(http, "bronze.crash");

                // Several writers in flight, then SIGKILL at a random moment among them.
                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        using var content = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "batch.csv" } };
                        try
                        {
                            await http.PostAsync("/api/v1/datasets/bronze/crash/upload", content, stop.Token);
                        }
                        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                        {
                            return;
                        }
                    }
                })).ToList();
                await Task.Delay(random.Next(300, 1500), TestTimeout.Token);
                server.KillHard();
                await stop.CancelAsync();
                await Task.WhenAll(writers);
            }

            await using (var restarted = await ServerProcess.StartAsync(data, cancellationToken: TestTimeout.Token))
            {
                using var http = await restarted.CreateClientAsync(cancellationToken: TestTimeout.Token);
                var catalogRows = await RowCountAsync(http, "bronze.crash");
                Assert.True(catalogRows >= committedBefore, $"round {round}: rows went back from {committedBefore} to {catalogRows}");
                Assert.Equal(0, catalogRows % 20_000);

                // The data the catalog promises is all there: the count SQL reads every file.
                var counted = await http.PostAsJsonAsync("/api/v1/query", new { sql = "SELECT count(*), count(DISTINCT id) FROM bronze.crash" }, TestTimeout.Token);
                Assert.True(counted.IsSuccessStatusCode, await counted.Content.ReadAsStringAsync(TestTimeout.Token));
                var row = (await counted.Content.ReadFromJsonAsync<JsonElement>(TestTimeout.Token)).GetProperty("rows")[0];
                Assert.Equal(catalogRows, row[0].GetInt64());
                Assert.Equal(20_000, row[1].GetInt64());

                // Files a killed write left behind are orphans: vacuum removes them and the data stays readable.
                var vacuum = await http.PostAsJsonAsync("/api/v1/maintenance/vacuum", new { orphanGraceMinutes = 0 }, TestTimeout.Token);
                Assert.True(vacuum.IsSuccessStatusCode);
                var after = await http.PostAsJsonAsync("/api/v1/query", new { sql = "SELECT count(*) FROM bronze.crash" }, TestTimeout.Token);
                Assert.Equal(catalogRows, (await after.Content.ReadFromJsonAsync<JsonElement>(TestTimeout.Token)).GetProperty("rows")[0][0].GetInt64());
            }
        }
    }

    /// <summary>
    /// kill -9 while incremental extracts run (before, during or just after the snapshot commit), then a
    /// restart: the dataset holds whole files only, no run is left "running", and the next incremental run
    /// loads exactly what is missing — the stream's position moved with the rows, never without them.
    /// </summary>
    [Fact]
    public async Task KillDuringExtracts_RestartKeepsRowsAndPositionTogether()
    {
        const int RowsPerFile = 100_000;
        var data = RepositoryPaths.NewTempFolder("crash-extract");
        var import = RepositoryPaths.NewTempFolder("crash-import");
        var environment = new Dictionary<string, string> { ["Plugins__ImportRoots__0"] = import };
        var files = 0;
        var start = DateTime.UtcNow.AddHours(-1);
        void AddFiles(int count)
        {
            for (var n = 0; n < count; n++, files++)
            {
                var csv = new StringBuilder("id,payload\n");
                for (var i = files * RowsPerFile; i < (files + 1) * RowsPerFile; i++)
                {
                    csv.Append(i).Append(",row-").Append(i).Append('\n');
                }

                var path = Path.Combine(import, $"part-{files:D3}.csv");
                File.WriteAllText(path, csv.ToString());
                File.SetLastWriteTimeUtc(path, start.AddSeconds(files)); // distinct modification times, in order
            }
        }

        var extract = new { stream = "", dataset = "bronze.drop", mode = "incremental" };
        var random = new Random(7);
        for (var round = 0; round < 3; round++)
        {
            AddFiles(4);
            await using (var server = await ServerProcess.StartAsync(data, environment, cancellationToken: TestTimeout.Token))
            {
                using var http = await server.CreateClientAsync(cancellationToken: TestTimeout.Token);
                if (round == 0)
                {
                    var created = await http.PostAsJsonAsync("/api/v1/connections", new
                    {
                        name = "drop",
                        connector = "files",
                        config = new { location = "importRoot", path = Path.Combine(import, "*.csv"), format = "csv" },
                    }, TestTimeout.Token);
                    Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(TestTimeout.Token));
                    var streams = await http.GetFromJsonAsync<JsonElement>("/api/v1/connections/drop/streams", TestTimeout.Token);
                    extract = extract with { stream = streams[0].GetProperty("name").GetString()! };
                }

                var started = await http.PostAsJsonAsync("/api/v1/connections/drop/extract?wait=false", extract, TestTimeout.Token);
                Assert.Equal(System.Net.HttpStatusCode.Accepted, started.StatusCode);
                await Task.Delay(random.Next(50, 1500), TestTimeout.Token);
                server.KillHard();
            }

            await using (var restarted = await ServerProcess.StartAsync(data, environment, cancellationToken: TestTimeout.Token))
            {
                using var http = await restarted.CreateClientAsync(cancellationToken: TestTimeout.Token);
                var rows = await RowCountAsync(http, "bronze.drop");
                output.WriteLine($"round {round}: {rows} of {files * RowsPerFile} rows committed when the server was killed");
                Assert.Equal(0, rows % RowsPerFile);
                if (rows > 0)
                {
                    Assert.Equal(rows, await DistinctIdsAsync(http));
                }

                var runs = await http.GetFromJsonAsync<JsonElement>("/api/v1/connections/drop/runs", TestTimeout.Token);
                Assert.DoesNotContain(runs.EnumerateArray(), r => r.GetProperty("status").GetString() == "running");

                // The next incremental run loads exactly the files the dataset does not hold yet.
                var next = await http.PostAsJsonAsync("/api/v1/connections/drop/extract", extract, TestTimeout.Token);
                var run = await next.Content.ReadFromJsonAsync<JsonElement>(TestTimeout.Token);
                Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
                Assert.Equal((long)files * RowsPerFile - rows, run.GetProperty("rows").GetInt64());
                Assert.Equal((long)files * RowsPerFile, await RowCountAsync(http, "bronze.drop"));
                Assert.Equal((long)files * RowsPerFile, await DistinctIdsAsync(http));
            }
        }
    }

    private static async Task<long> DistinctIdsAsync(HttpClient http)
    {
        var counted = await http.PostAsJsonAsync("/api/v1/query", new { sql = "SELECT count(DISTINCT id) FROM bronze.drop" }, TestTimeout.Token);
        Assert.True(counted.IsSuccessStatusCode, await counted.Content.ReadAsStringAsync(TestTimeout.Token));
        return (await counted.Content.ReadFromJsonAsync<JsonElement>(TestTimeout.Token)).GetProperty("rows")[0][0].GetInt64();
    }

    private static async Task<long> RowCountAsync(HttpClient http, string dataset)
    {
        var parts = dataset.Split('.');
        using var response = await http.GetAsync($"/api/v1/datasets/{parts[0]}/{parts[1]}", TestTimeout.Token);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return 0;
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestTimeout.Token);
        return body.GetProperty("dataset").GetProperty("rowCount").GetInt64();
    }
}
