namespace Ratatouille.Plugins.Http;

/// <summary>How an API splits a collection into pages.</summary>
public enum PaginationType
{
    /// <summary>One request gives everything.</summary>
    None,

    /// <summary><c>?page=1</c>, <c>?page=2</c>, … until a short or empty page.</summary>
    PageNumber,

    /// <summary><c>?offset=0&amp;limit=100</c>, <c>?offset=100&amp;limit=100</c>, … until a short or empty page.</summary>
    OffsetLimit,

    /// <summary>The body carries a token for the next page, sent back as a query parameter.</summary>
    CursorToken,

    /// <summary>The body carries the URL of the next page.</summary>
    NextLink,

    /// <summary>The <c>Link</c> response header carries the URL of the next page (<c>rel="next"</c>).</summary>
    LinkHeader,
}
