using System.Text.Json.Nodes;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Sqlite.Tests;

public sealed class IncrementalTests : IDisposable
{
    private readonly SqliteFixture _fixture = new();

    [Fact]
    public async Task SecondRead_ReturnsOnlyNewRows()
    {
        var path = Shop.Create(_fixture);
        var options = SqliteFixture.Options("shop.db");

        var first = await _fixture.Harness.ReadAsync(options, "orders", SyncMode.Incremental);
        SqliteFixture.Create(path, "INSERT INTO orders (customer_id, total) VALUES (3, 5), (3, 6);");
        var second = await _fixture.Harness.ReadAsync(options, "orders", SyncMode.Incremental, first.Checkpoint);

        Assert.Equal([1L, 2L, 3L], first.Rows.Select(r => r["id"]));
        Assert.Equal("""{"cursor":3,"cursorField":"id"}""", first.Checkpoint!.ToJsonString());
        Assert.Equal([4L, 5L], second.Rows.Select(r => r["id"]));
        Assert.Equal("""{"cursor":5,"cursorField":"id"}""", second.Checkpoint!.ToJsonString());
    }

    [Fact]
    public async Task TextCursor_ChosenByTheCaller()
    {
        var path = Shop.Create(_fixture);
        var options = SqliteFixture.Options("shop.db");

        var first = await _fixture.Harness.ReadAsync(options, "orders", SyncMode.Incremental, cursorField: "updated_at");
        SqliteFixture.Create(path, "INSERT INTO orders (customer_id, updated_at) VALUES (1, '2024-04-01 00:00:00'), (1, '2024-06-01 00:00:00');");
        var second = await _fixture.Harness.ReadAsync(options, "orders", SyncMode.Incremental, first.Checkpoint, cursorField: "updated_at");

        Assert.Equal("""{"cursor":"2024-05-03 12:00","cursorField":"updated_at"}""", first.Checkpoint!.ToJsonString());
        Assert.Equal([5L], second.Rows.Select(r => r["id"]));
    }

    [Fact]
    public async Task Batches_NeverSplitEqualCursorValues()
    {
        SqliteFixture.Create(Path.Combine(_fixture.Root, "ties.db"), """
            CREATE TABLE events (id INTEGER PRIMARY KEY, day INTEGER);
            INSERT INTO events (day) VALUES (1), (1), (1), (2), (3);
            """);
        var request = new ReadRequest("events", SyncMode.Incremental, cursorField: "day") { PreferredBatchRows = 2 };

        var batches = new List<(int Rows, string? Checkpoint)>();
        await foreach (var batch in _fixture.Connector.ReadAsync(SqliteFixture.Options("ties.db"), request, _fixture.Context, CancellationToken.None))
        {
            batch.Dispose();
            batches.Add((batch.Length, request.Checkpoint?.ToJsonString()));
        }

        Assert.Equal([(3, null), (2, """{"cursor":1,"cursorField":"day"}""")], batches);
        Assert.Equal("""{"cursor":3,"cursorField":"day"}""", request.Checkpoint!.ToJsonString());
    }

    [Fact]
    public async Task NothingNew_KeepsTheState()
    {
        Shop.Create(_fixture);
        var state = JsonNode.Parse("""{"cursor":3,"cursorField":"id"}""");

        var result = await _fixture.Harness.ReadAsync(SqliteFixture.Options("shop.db"), "orders", SyncMode.Incremental, state);

        Assert.Empty(result.Rows);
        Assert.Equal("""{"cursor":3,"cursorField":"id"}""", result.Checkpoint!.ToJsonString());
    }

    [Fact]
    public async Task StateOfAnotherCursor_IsRefused()
    {
        Shop.Create(_fixture);
        var state = JsonNode.Parse("""{"cursor":3,"cursorField":"id"}""");

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.Harness.ReadAsync(SqliteFixture.Options("shop.db"), "orders", SyncMode.Incremental, state, "updated_at"));

        Assert.Contains("full refresh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ViewWithoutDefaultCursor_AsksForOne()
    {
        Shop.Create(_fixture);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.Harness.ReadAsync(SqliteFixture.Options("shop.db"), "big_orders", SyncMode.Incremental));

        Assert.Contains("no default cursor", error.Message, StringComparison.Ordinal);
        Assert.Contains("id, name, total", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BooleanCursor_IsRefused()
    {
        Shop.Create(_fixture);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.Harness.ReadAsync(SqliteFixture.Options("shop.db"), "orders", SyncMode.Incremental, cursorField: "paid"));

        Assert.Contains("'paid' cannot be the cursor", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _fixture.Dispose();
}
