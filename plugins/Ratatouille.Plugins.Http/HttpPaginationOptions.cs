using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Plugins.Http;

/// <summary>How a stream's pages are requested. Only the settings of the chosen type are used.</summary>
public sealed class HttpPaginationOptions
{
    [DisplayName("Pagination")]
    [Description("none, pageNumber (?page=N), offsetLimit (?offset=N&limit=M), cursorToken (a token from the body sent back as a parameter), nextLink (a URL in the body) or linkHeader (the Link header's rel=\"next\").")]
    public PaginationType Type { get; set; } = PaginationType.None;

    [DisplayName("Page size")]
    [Description("Records per page: sent as the page size (pageNumber) or limit (offsetLimit), and the size of a full page for stopWhen=shortPage.")]
    [Range(1, 100_000)]
    public int PageSize { get; set; } = 100;

    [DisplayName("Page parameter")]
    [Description("pageNumber: the parameter carrying the page number.")]
    [StringLength(128, MinimumLength = 1)]
    public string PageParameter { get; set; } = "page";

    [DisplayName("First page")]
    [Description("pageNumber: the number of the first page (usually 1, sometimes 0).")]
    [Range(0, 1_000_000)]
    public int StartPage { get; set; } = 1;

    [DisplayName("Page size parameter")]
    [Description("pageNumber: the parameter carrying the page size, e.g. per_page; empty to send none and take the API's default.")]
    [StringLength(128)]
    public string? PageSizeParameter { get; set; } = "per_page";

    [DisplayName("Offset parameter")]
    [Description("offsetLimit: the parameter carrying the number of records to skip.")]
    [StringLength(128, MinimumLength = 1)]
    public string OffsetParameter { get; set; } = "offset";

    [DisplayName("Limit parameter")]
    [Description("offsetLimit: the parameter carrying the page size.")]
    [StringLength(128, MinimumLength = 1)]
    public string LimitParameter { get; set; } = "limit";

    [DisplayName("Stop when")]
    [Description("pageNumber and offsetLimit: shortPage stops after a page with fewer records than the page size; emptyPage only after a page with none.")]
    public PageStopRule StopWhen { get; set; } = PageStopRule.ShortPage;

    [DisplayName("Token path")]
    [Description("cursorToken: dotted path of the next-page token in the body, e.g. meta.next_cursor. Reading stops when it is missing, null or empty.")]
    [StringLength(512)]
    public string? TokenPath { get; set; }

    [DisplayName("Token parameter")]
    [Description("cursorToken: the parameter the token is sent back in.")]
    [StringLength(128, MinimumLength = 1)]
    public string TokenParameter { get; set; } = "cursor";

    [DisplayName("Next link path")]
    [Description("nextLink: dotted path of the next page's URL in the body, e.g. links.next or paging.next. Reading stops when it is missing, null or empty.")]
    [StringLength(512)]
    public string? NextLinkPath { get; set; }
}
