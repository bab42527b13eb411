using System.Text.Json.Nodes;
using Ratatouille.Sdk;
using Ratatouille.Sdk.Testing;

namespace Ratatouille.Samples.Rss.Tests;

/// <summary>The fixture documents, the URLs they are served at, and a harness wired to the stub server.</summary>
public sealed class Feeds
{
    public const string RssUrl = "https://kitchen.example.com/feed.xml";
    public const string AtomUrl = "https://blog.example.com/atom.xml";

    public Feeds()
    {
        Server.Serve(RssUrl, Read("rss2.xml"));
        Server.Serve(AtomUrl, Read("atom.xml"), "application/atom+xml");
        Harness = new ConnectorHarness(new RssConnector(), new TestPluginContext("community-rss") { HttpHandler = Server });
    }

    public StubFeedServer Server { get; } = new();

    public ConnectorHarness Harness { get; }

    /// <summary>Options bound from JSON exactly as the platform binds a connection's configuration.</summary>
    public object Options(string url, string? extra = null) =>
        Harness.Bind(JsonNode.Parse($$"""{ "feedUrl": "{{url}}"{{(extra is null ? "" : ", " + extra)}} }"""));

    /// <summary>Reads the items stream through the harness (which checks every batch against the discovered schema).</summary>
    public Task<ReadResult> ReadAsync(object options, SyncMode mode = SyncMode.Full, JsonNode? state = null, string? cursorField = null) =>
        Harness.ReadAsync(options, RssConnector.StreamName, mode, state, cursorField);

    /// <summary>An embedded fixture document.</summary>
    public static string Read(string name)
    {
        using var stream = typeof(Feeds).Assembly.GetManifestResourceStream("Fixtures/" + name)
            ?? throw new InvalidOperationException($"No embedded fixture '{name}'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A UTC instant from its ISO 8601 text, for expected values.</summary>
    public static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();
}
