namespace Ratatouille.Samples.Rss;

/// <summary>A parsed feed document.</summary>
/// <param name="Source">How messages and logs name the feed: its URL without user info and query string.</param>
/// <param name="Format">"RSS 2.0" or "Atom", for messages.</param>
/// <param name="Title">The channel's or feed's title.</param>
/// <param name="Items">The items in document order.</param>
/// <param name="UnparsedDates">Date values that were present but not understood (read as null).</param>
internal sealed record Feed(string Source, string Format, string? Title, IReadOnlyList<FeedItem> Items, int UnparsedDates);
