namespace Ratatouille.Samples.Rss.Tests;

/// <summary>A request the connector sent to the stub server: the URL and the headers the tests look at.</summary>
public sealed record RecordedRequest(Uri Url, string? Authorization, string UserAgent, string Accept);
