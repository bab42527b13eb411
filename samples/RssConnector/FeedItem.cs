namespace Ratatouille.Samples.Rss;

/// <summary>One item (RSS) or entry (Atom), with the fields both formats share.</summary>
internal sealed record FeedItem(
    string Id,
    string? Title,
    string? Link,
    DateTimeOffset? Published,
    DateTimeOffset? Updated,
    string? Author,
    string? Summary,
    IReadOnlyList<string> Categories);
