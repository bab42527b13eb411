using System.Data.SqlTypes;
using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using Ratatouille.Sdk;
using Ratatouille.Sdk.Testing;
using Xunit.Abstractions;

namespace Ratatouille.Plugins.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class VolumeAndCancellationTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task ReadFull_MillionRows_CountsAndSumsMatchTheServer()
    {
        var expected = (await fixture.SqlAsync("SELECT count(*), sum(id), sum(k), sum(amount), count(DISTINCT label) FROM big.events")).Split('|');
        var request = new ReadRequest("big.events", SyncMode.Full);
        long rows = 0, sumId = 0, sumK = 0;
        var sumAmount = SqlDecimal.Null;
        var batches = 0;
        var lastLabel = "";
        var watch = Stopwatch.StartNew();
        var consumer = new Stopwatch();

        await foreach (var batch in new PostgresConnector().ReadAsync(fixture.Options("big"), request, new TestPluginContext(), CancellationToken.None))
        {
            consumer.Start();
            using (batch)
            {
                batches++;
                rows += batch.Length;
                foreach (var id in ((Int64Array)batch.Column(0)).Values)
                {
                    sumId += id;
                }

                foreach (var k in ((Int32Array)batch.Column(1)).Values)
                {
                    sumK += k;
                }

                var amounts = (Decimal128Array)batch.Column(2);
                var batchSum = 0m;
                for (var i = 0; i < amounts.Length; i++)
                {
                    batchSum += amounts.GetValue(i)!.Value;
                }

                sumAmount = sumAmount.IsNull ? batchSum : sumAmount + batchSum;
                lastLabel = ((StringArray)batch.Column(4)).GetString(batch.Length - 1);
            }

            consumer.Stop();
        }

        watch.Stop();

        // The connector's own time: the whole read minus the time this test spent summing the batches.
        var reading = watch.Elapsed - consumer.Elapsed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Read {rows:N0} rows (bigint, int, numeric(12,2), timestamptz, text) in {batches} batches: {reading.TotalSeconds:0.00} s in the connector = {rows / reading.TotalSeconds:N0} rows/s ({watch.Elapsed.TotalSeconds:0.00} s with the test's summing)"));

        Assert.Equal(long.Parse(expected[0], CultureInfo.InvariantCulture), rows);
        Assert.Equal(PostgresFixture.BigRows, rows);
        Assert.Equal(long.Parse(expected[1], CultureInfo.InvariantCulture), sumId);
        Assert.Equal(long.Parse(expected[2], CultureInfo.InvariantCulture), sumK);
        Assert.Equal(SqlDecimal.Parse(expected[3]), sumAmount);
        Assert.Equal(16, batches);
        Assert.StartsWith("event-", lastLabel, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFull_CancelledMidCopy_StopsPromptlyAndEndsTheServerStatement()
    {
        using var cancellation = new CancellationTokenSource();
        var request = new ReadRequest("big.events", SyncMode.Full) { PreferredBatchRows = 10_000 };
        var batches = 0;
        var watch = new Stopwatch();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in new PostgresConnector().ReadAsync(fixture.Options("big"), request, new TestPluginContext(), cancellation.Token))
            {
                batch.Dispose();
                if (++batches == 1)
                {
                    await cancellation.CancelAsync();
                    watch.Start();
                }
            }
        });

        watch.Stop();
        output.WriteLine($"Stopped {watch.Elapsed.TotalMilliseconds:0} ms after cancellation, after {batches} batch(es).");
        Assert.Equal(1, batches);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        await AssertNoReaderBackendAsync();
    }

    [Fact]
    public async Task ReadFull_CallerStopsEarly_DoesNotDrainTheRestOfTheTable()
    {
        var watch = Stopwatch.StartNew();
        await foreach (var batch in new PostgresConnector().ReadAsync(fixture.Options("big"), new ReadRequest("big.events", SyncMode.Full) { PreferredBatchRows = 1000 }, new TestPluginContext(), CancellationToken.None))
        {
            batch.Dispose();
            break;
        }

        watch.Stop();
        output.WriteLine($"First batch and stop in {watch.Elapsed.TotalMilliseconds:0} ms.");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        await AssertNoReaderBackendAsync();
    }

    /// <summary>The connector's backend is gone: the COPY does not go on in the server after the read ended.</summary>
    private async Task AssertNoReaderBackendAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        string active;
        do
        {
            active = await fixture.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'Ratatouille'");
            if (active == "0")
            {
                return;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{active} backend(s) of the connector still running 5 s after the read ended.");
    }
}
