using System.Text.Json.Nodes;
using Apache.Arrow;
using Ratatouille.Sdk;
using Ratatouille.Sdk.Testing;

namespace Ratatouille.Plugins.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class IncrementalTests(PostgresFixture fixture)
{
    private readonly ConnectorHarness _harness = new(new PostgresConnector(), new TestPluginContext("postgres"));

    [Fact]
    public async Task ReadIncremental_NewRowsAfterCheckpoint_ReturnsOnlyTheNewRows()
    {
        var schema = await fixture.NewSchemaAsync("incr_new", """
            CREATE TABLE events (id serial PRIMARY KEY, payload text, updated_at timestamptz NOT NULL);
            INSERT INTO events (payload, updated_at) SELECT 'first ' || g, timestamptz '2024-05-01 10:00:00+00' + g * interval '1 minute' FROM generate_series(1, 10) g;
            """);
        var options = fixture.Options(schema);

        var first = await _harness.ReadAsync(options, "incr_new.events", SyncMode.Incremental);

        Assert.Equal(10, first.Rows.Count);
        Assert.Equal("""{"cursorField":"updated_at","cursor":"2024-05-01T10:10:00.000000Z"}""", first.Checkpoint!.ToJsonString());

        await fixture.SqlAsync("""
            INSERT INTO incr_new.events (payload, updated_at) SELECT 'second ' || g, timestamptz '2024-05-01 11:00:00+00' + g * interval '1 second' FROM generate_series(1, 5) g;
            UPDATE incr_new.events SET payload = 'touched', updated_at = timestamptz '2024-05-01 12:00:00+00' WHERE id = 3;
            """);
        var second = await _harness.ReadAsync(options, "incr_new.events", SyncMode.Incremental, first.Checkpoint);

        Assert.Equal([11, 12, 13, 14, 15, 3], second.Rows.Select(r => (int)r["id"]!));
        Assert.Equal("touched", second.Rows[^1]["payload"]);
        Assert.Equal("""{"cursorField":"updated_at","cursor":"2024-05-01T12:00:00.000000Z"}""", second.Checkpoint!.ToJsonString());

        var third = await _harness.ReadAsync(options, "incr_new.events", SyncMode.Incremental, second.Checkpoint);

        Assert.Empty(third.Rows);
        Assert.Equal(second.Checkpoint.ToJsonString(), third.Checkpoint!.ToJsonString());
    }

    [Fact]
    public async Task ReadIncremental_EachCursorType_SavesATypedValueAndResumesAfterIt()
    {
        var schema = await fixture.NewSchemaAsync("incr_types", """
            CREATE TABLE t (id bigint, small smallint, amount numeric(12,3), loose numeric, day date, at timestamp, instant timestamptz);
            INSERT INTO t VALUES
                (0, 0, 0, 0, '2023-01-01', '2023-01-01', '2023-01-01+00'),
                (1, 1, 1.500, 1.5, '2024-01-01', '2024-01-01 08:00', '2024-01-01 08:00+00'),
                (2, 2, 2.250, 10, '2024-01-02', '2024-01-01 09:00:00.5', '2024-01-01 09:00:00.5+01');
            """);
        var options = fixture.Options(schema);
        var expected = new Dictionary<string, string>
        {
            ["id"] = "2",
            ["small"] = "2",
            ["amount"] = "\"2.250\"",
            ["loose"] = "\"10\"",
            ["day"] = "\"2024-01-02\"",
            ["at"] = "\"2024-01-01T09:00:00.500000\"",
            ["instant"] = "\"2024-01-01T08:00:00.500000Z\"",
        };

        var checkpoints = new Dictionary<string, JsonNode>();
        foreach (var (cursor, value) in expected)
        {
            var first = await ReadIdsAsync(options, cursor, null);
            Assert.Equal([0L, 1L, 2L], first.Ids);
            Assert.Equal($$"""{"cursorField":"{{cursor}}","cursor":{{value}}}""", first.Checkpoint!.ToJsonString());
            checkpoints[cursor] = first.Checkpoint;
        }

        // Resuming reads what is after the saved value: not the row that holds it, and the row added since.
        await fixture.SqlAsync("INSERT INTO incr_types.t VALUES (3, 3, 3.5, 11, '2024-02-01', '2024-02-01', '2024-02-01+00')");
        foreach (var (cursor, checkpoint) in checkpoints)
        {
            var next = await ReadIdsAsync(options, cursor, checkpoint);
            Assert.True(next.Ids is [3L], $"{cursor}: read {string.Join(", ", next.Ids)} after {checkpoint.ToJsonString()}");
        }
    }

    private static async Task<(List<long> Ids, JsonNode? Checkpoint)> ReadIdsAsync(PostgresOptions options, string cursor, JsonNode? state)
    {
        var request = new ReadRequest("incr_types.t", SyncMode.Incremental, state, cursor);
        var batches = await PostgresFixture.ReadBatchesAsync(options, request);
        var ids = batches.SelectMany(b => ((Int64Array)b.Column(0)).Values.ToArray()).ToList();
        batches.ForEach(b => b.Dispose());
        return (ids, request.Checkpoint);
    }

    [Fact]
    public async Task ReadIncremental_TiesAcrossBatches_SavesOnlyCompleteValues()
    {
        var schema = await fixture.NewSchemaAsync("incr_ties", """
            CREATE TABLE t (id int PRIMARY KEY, version int NOT NULL);
            INSERT INTO t VALUES (1, 1), (2, 1), (3, 2), (4, 2), (5, 2), (6, 2), (7, 3), (8, 3), (9, 4), (10, 4);
            """);
        var request = new ReadRequest("incr_ties.t", SyncMode.Incremental, cursorField: "version") { PreferredBatchRows = 3 };
        var checkpoints = new List<string?>();

        await foreach (var batch in new PostgresConnector().ReadAsync(fixture.Options(schema), request, new TestPluginContext(), CancellationToken.None))
        {
            // The state saved after the batches before this one (the connector saves it once the previous batch was
            // yielded): what the platform would keep if the run failed while writing this batch.
            checkpoints.Add(request.Checkpoint?["cursor"]?.ToJsonString());
            batch.Dispose();
        }

        // Batches: [1,1,2] [2,2,2] [3,3,4] [4]. Version 2 is complete only once 3 shows up; 4 only at the end.
        Assert.Equal([null, "1", "1", "3"], checkpoints);
        Assert.Equal("4", request.Checkpoint!["cursor"]!.ToJsonString());

        // Resuming from the checkpoint after the second batch loses nothing.
        var resumed = await _harness.ReadAsync(fixture.Options(schema), "incr_ties.t", SyncMode.Incremental, JsonNode.Parse("""{"cursorField":"version","cursor":1}"""), "version");
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10], resumed.Rows.Select(r => (int)r["id"]!).Order());
    }

    [Fact]
    public async Task ReadIncremental_Cancelled_LeavesTheCallersStateAndResumesWithoutGaps()
    {
        var state = JsonNode.Parse("""{"cursorField":"id","cursor":990000}""")!;
        var before = state.ToJsonString();
        var request = new ReadRequest("big.events", SyncMode.Incremental, state, "id") { PreferredBatchRows = 1000 };
        using var cancellation = new CancellationTokenSource();
        var yielded = new List<long>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in new PostgresConnector().ReadAsync(fixture.Options("big"), request, new TestPluginContext(), cancellation.Token))
            {
                using (batch)
                {
                    yielded.AddRange(((Int64Array)batch.Column(0)).Values.ToArray());
                }

                if (yielded.Count >= 2000)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.Equal(before, state.ToJsonString());
        Assert.Equal(before, request.State!.ToJsonString());
        Assert.Equal(Enumerable.Range(990_001, 2000).Select(i => (long)i), yielded);

        // The checkpoint covers only rows that were yielded: at most the last one.
        var checkpoint = request.Checkpoint!["cursor"]!.GetValue<long>();
        Assert.InRange(checkpoint, 990_001, 992_000);

        var rest = await PostgresFixture.ReadBatchesAsync(fixture.Options("big"), new ReadRequest("big.events", SyncMode.Incremental, request.Checkpoint, "id"));
        try
        {
            Assert.Equal(checkpoint + 1, ((Int64Array)rest[0].Column(0)).GetValue(0));
            Assert.Equal(PostgresFixture.BigRows - checkpoint, rest.Sum(b => (long)b.Length));
        }
        finally
        {
            rest.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public async Task ReadIncremental_InvalidSavedCursor_FailsWithoutTouchingTheState()
    {
        var state = JsonNode.Parse("""{"cursorField":"updated_at","cursor":"not-a-timestamp"}""")!;
        var request = new ReadRequest("shop.customers", SyncMode.Incremental, state);

        var error = await Assert.ThrowsAsync<PluginException>(() => PostgresFixture.ReadBatchesAsync(fixture.Options("shop"), request));

        Assert.Contains("saved cursor value 'not-a-timestamp' is not a valid timestamp with time zone", error.Message, StringComparison.Ordinal);
        Assert.Contains("run a full refresh", error.Message, StringComparison.Ordinal);
        Assert.Null(request.Checkpoint);
        Assert.Equal("""{"cursorField":"updated_at","cursor":"not-a-timestamp"}""", state.ToJsonString());
    }

    [Fact]
    public async Task ReadIncremental_StateOfAnotherCursor_AsksForAFullRefresh()
    {
        var request = new ReadRequest("shop.customers", SyncMode.Incremental, JsonNode.Parse("""{"cursorField":"created_at","cursor":"2030-01-01T00:00:00Z"}"""));

        var error = await Assert.ThrowsAsync<PluginException>(() => PostgresFixture.ReadBatchesAsync(fixture.Options("shop"), request));

        Assert.Equal(
            "The saved state is a position in 'created_at', this read follows 'updated_at': run a full refresh after changing the cursor (or choose 'created_at' again).",
            error.Message);
        Assert.Null(request.Checkpoint);
    }

    [Fact]
    public async Task ReadIncremental_NoCursorAndNoDefault_SaysWhichColumnsCanBeCursors()
    {
        var error = await Assert.ThrowsAsync<PluginException>(() =>
            PostgresFixture.ReadBatchesAsync(fixture.Options("shop"), new ReadRequest("shop.order_lines", SyncMode.Incremental)));

        Assert.Equal("'shop.order_lines' has no default cursor: choose one of order_id, line_no, quantity, unit_price.", error.Message);

        var notOrderable = await Assert.ThrowsAsync<PluginException>(() =>
            PostgresFixture.ReadBatchesAsync(fixture.Options("shop"), new ReadRequest("shop.order_lines", SyncMode.Incremental, cursorField: "sku")));
        Assert.Contains("'sku' of 'shop.order_lines' cannot be a cursor", notOrderable.Message, StringComparison.Ordinal);
    }
}
