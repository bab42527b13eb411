using Apache.Arrow.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http.Tests;

public sealed class DiscoveryTests
{
    private const string Mixed = """
        {
          "data": {
            "items": [
              { "id": 1, "name": "a", "price": 10, "active": true, "created": "2024-05-01T10:00:00Z", "tags": ["x"], "meta": { "k": 1 }, "code": "7", "big": 18446744073709551615 },
              { "id": 2, "name": "b", "price": 2.5, "active": false, "created": "2024-05-02T10:00:00+02:00", "tags": [], "note": "only here", "code": 8, "local": "2024-05-02T10:00:00" },
              { "id": 3, "name": null, "price": 3, "active": true, "created": "2024-05-03 10:00:00Z", "meta": null, "code": "x" }
            ]
          }
        }
        """;

    private readonly Fixture _fixture = new();

    [Fact]
    public async Task Discover_InfersTypesFromTheFirstPage()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/mixed", () => Results.Content(Mixed, "application/json")));
        var options = Fixture.Options(api, "/mixed", """ "recordSelector": "data.items", "primaryKey": ["id"] """);

        var stream = Assert.Single(await _fixture.Connector.DiscoverAsync(options, _fixture.Context, CancellationToken.None));

        var fields = stream.Schema.FieldsList;
        Assert.Equal(["id", "name", "price", "active", "created", "tags", "meta", "code", "big", "note", "local"], fields.Select(f => f.Name));
        Assert.IsType<Int64Type>(fields[0].DataType);
        Assert.False(fields[0].IsNullable);
        Assert.IsType<StringType>(fields[1].DataType);
        Assert.IsType<DoubleType>(fields[2].DataType);
        Assert.IsType<BooleanType>(fields[3].DataType);
        Assert.Equal("UTC", Assert.IsType<TimestampType>(fields[4].DataType).Timezone);
        Assert.Equal(Columns.JsonType, Columns.LogicalType(fields[5]));
        Assert.Equal(Columns.JsonType, Columns.LogicalType(fields[6]));
        Assert.IsType<StringType>(fields[7].DataType);
        Assert.Null(Columns.LogicalType(fields[7]));
        Assert.IsType<StringType>(fields[8].DataType);
        Assert.True(fields[9].IsNullable);
        Assert.IsType<StringType>(fields[10].DataType);
        Assert.Equal(["id"], stream.PrimaryKey);
        Assert.Equal([SyncMode.Full], stream.SupportedModes);
    }

    [Fact]
    public async Task Discover_FieldHints_OverrideInferenceAndAddColumns()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/mixed", () => Results.Content(Mixed, "application/json")));
        var options = Fixture.Options(api, "/mixed", """
            "recordSelector": "data.items",
            "fields": [ { "name": "price", "type": "string" }, { "name": "created", "type": "string" }, { "name": "extra", "type": "integer" } ]
            """);

        var stream = Assert.Single(await _fixture.Connector.DiscoverAsync(options, _fixture.Context, CancellationToken.None));

        Assert.IsType<StringType>(stream.Schema.GetFieldByName("price").DataType);
        Assert.IsType<StringType>(stream.Schema.GetFieldByName("created").DataType);
        Assert.Equal("extra", stream.Schema.FieldsList[^1].Name);
        Assert.IsType<Int64Type>(stream.Schema.FieldsList[^1].DataType);
    }

    [Fact]
    public async Task Discover_OnlyListedFields_SendsNoRequest()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/mixed", () => Results.Content(Mixed, "application/json")));
        var options = Fixture.Options(api, "/mixed", """
            "inferFields": false, "cursorField": "id",
            "fields": [ { "name": "id", "type": "integer" }, { "name": "name" } ]
            """);

        var stream = Assert.Single(await _fixture.Connector.DiscoverAsync(options, _fixture.Context, CancellationToken.None));

        Assert.Equal(["id", "name"], stream.Schema.FieldsList.Select(f => f.Name));
        Assert.Empty(api.Requests);
        Assert.Equal("id", stream.DefaultCursorField);
        Assert.Contains(SyncMode.Incremental, stream.SupportedModes);
    }

    [Fact]
    public async Task Discover_EmptyFirstPage_SaysWhatToDo()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/empty", () => Results.Content("[]", "application/json")));

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.Connector.DiscoverAsync(Fixture.Options(api, "/empty"), _fixture.Context, CancellationToken.None));

        Assert.Contains("no records", error.Message, StringComparison.Ordinal);
        Assert.Contains("inferFields", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_UnknownCursorField_NamesIt()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/mixed", () => Results.Content(Mixed, "application/json")));
        var options = Fixture.Options(api, "/mixed", """ "recordSelector": "data.items", "cursorField": "updatedAt" """);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.Connector.DiscoverAsync(options, _fixture.Context, CancellationToken.None));

        Assert.Contains("'updatedAt'", error.Message, StringComparison.Ordinal);
        Assert.Contains("id, name, price", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_WrongRecordSelector_ListsTheKeys()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/mixed", () => Results.Content(Mixed, "application/json")));
        var options = Fixture.Options(api, "/mixed", """ "recordSelector": "data.rows" """);

        var error = await Assert.ThrowsAsync<PluginException>(() => _fixture.Connector.DiscoverAsync(options, _fixture.Context, CancellationToken.None));

        Assert.Contains("'data.rows'", error.Message, StringComparison.Ordinal);
        Assert.Contains("data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_ScalarArray_BecomesValueColumn()
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/ids", () => Results.Content("""{ "ids": [1, 2, 3] }""", "application/json")));
        var options = Fixture.Options(api, "/ids", """ "recordSelector": "ids" """);

        var stream = Assert.Single(await _fixture.Connector.DiscoverAsync(options, _fixture.Context, CancellationToken.None));
        var (rows, _, _) = await _fixture.ReadAsync(options);

        Assert.Equal("value", Assert.Single(stream.Schema.FieldsList).Name);
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r["value"]));
    }
}
