using System.Text.Json.Nodes;
using Apache.Arrow;
using Ratatouille.Sdk;
using Ratatouille.Sdk.Testing;

namespace Ratatouille.Plugins.Http.Tests;

/// <summary>The connector, a test context, options bound from JSON exactly as the platform binds them.</summary>
internal sealed class Fixture
{
    public HttpConnector Connector { get; } = new();

    public TestPluginContext Context { get; } = new("http");

    public ConnectorHarness Harness => new(Connector, Context);

    public static HttpOptions Bind(string json) => (HttpOptions)OptionsSchema.Bind(typeof(HttpOptions), JsonNode.Parse(json));

    /// <summary>
    /// Options for one stream "items" at <paramref name="path"/> with short backoffs; <paramref name="stream"/> and
    /// <paramref name="top"/> are JSON members added to (or replacing those of) the stream and the connection.
    /// </summary>
    public static HttpOptions Options(TestApi api, string path, string stream = "", string top = "")
    {
        var streamJson = JsonNode.Parse($$"""{ "name": "items", "path": "{{path}}" }""")!.AsObject();
        Merge(streamJson, stream);
        var config = JsonNode.Parse($$"""
            { "baseUrl": "{{api.BaseUrl}}", "maxRetries": 2, "initialBackoffSeconds": 0.01, "maxBackoffSeconds": 5, "timeoutSeconds": 5 }
            """)!.AsObject();
        Merge(config, top);
        config["streams"] = new JsonArray(streamJson);
        return (HttpOptions)OptionsSchema.Bind(typeof(HttpOptions), config);
    }

    private static void Merge(JsonObject target, string members)
    {
        if (string.IsNullOrWhiteSpace(members))
        {
            return;
        }

        foreach (var (name, value) in JsonNode.Parse("{" + members + "}")!.AsObject().ToList())
        {
            target[name] = value?.DeepClone();
        }
    }

    public async Task<(List<IReadOnlyDictionary<string, object?>> Rows, ReadRequest Request, Schema? Schema)> ReadAsync(
        HttpOptions options, SyncMode mode = SyncMode.Full, JsonNode? state = null, string stream = "items", CancellationToken cancellationToken = default)
    {
        var request = new ReadRequest(stream, mode, state);
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        Schema? schema = null;
        await foreach (var batch in Connector.ReadAsync(options, request, Context, cancellationToken))
        {
            using (batch)
            {
                schema = batch.Schema;
                rows.AddRange(ArrowValues.Rows(batch));
            }
        }

        return (rows, request, schema);
    }

    public static JsonObject Item(int id) => new()
    {
        ["id"] = id,
        ["name"] = $"item {id}",
        ["updated_at"] = $"2024-05-{id:00}T10:00:00Z",
    };

    public static JsonArray Items(int from, int to) => new(Enumerable.Range(from, Math.Max(0, to - from + 1)).Select(i => (JsonNode?)Item(i)).ToArray());

    public static string Json(JsonNode node) => node.ToJsonString();
}
