using System.Diagnostics;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Sqlite.Tests;

public sealed class CancellationTests : IDisposable
{
    private readonly SqliteFixture _fixture = new();

    [Fact]
    public async Task CancelBetweenBatches_StopsTheRead()
    {
        SqliteFixture.Create(Path.Combine(_fixture.Root, "big.db"), """
            CREATE TABLE n (id INTEGER PRIMARY KEY, v TEXT);
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) INSERT INTO n SELECT x, 'value ' || x FROM c;
            """);
        using var cancellation = new CancellationTokenSource();
        var request = new ReadRequest("n", SyncMode.Full) { PreferredBatchRows = 1000 };

        var batches = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in _fixture.Connector.ReadAsync(SqliteFixture.Options("big.db"), request, _fixture.Context, cancellation.Token))
            {
                batch.Dispose();
                batches++;
                await cancellation.CancelAsync();
            }
        });

        Assert.Equal(1, batches);
    }

    [Fact]
    public async Task CancelDuringALongStatement_InterruptsSqlite()
    {
        // Sorting ten million generated rows takes SQLite seconds before the first row: only sqlite3_interrupt stops it.
        SqliteFixture.Create(Path.Combine(_fixture.Root, "slow.db"), "CREATE TABLE t (x INTEGER);");
        var options = SqliteFixture.Options("slow.db", """
            "includeTables": false,
            "queries": [ { "name": "slow", "sql": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000) SELECT x FROM c ORDER BY x DESC" } ]
            """);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in _fixture.Connector.ReadAsync(options, new ReadRequest("slow", SyncMode.Full), _fixture.Context, cancellation.Token))
            {
                batch.Dispose();
            }
        });

        Assert.InRange(watch.Elapsed.TotalSeconds, 0, 5);
    }

    public void Dispose() => _fixture.Dispose();
}
