using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Ratatouille.Sdk;

namespace Ratatouille.Samples.Rss;

/// <summary>Configuration of an RSS/Atom connection: one feed.</summary>
public sealed class RssOptions
{
    /// <summary>The address of the feed document (not the web page that links to it).</summary>
    [Required]
    [StringLength(2048, MinimumLength = 8)]
    [RegularExpression(@"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+\S*$", ErrorMessage = "must be an http:// or https:// URL")]
    [DisplayName("Feed URL")]
    [Description("The RSS 2.0 or Atom document, e.g. https://example.com/feed.xml. Only http and https.")]
    public string FeedUrl { get; set; } = "";

    /// <summary>Sent as <c>Authorization: Bearer &lt;token&gt;</c> when set.</summary>
    [Secret]
    [DisplayName("Bearer token")]
    [Description("For private feeds: sent as Authorization: Bearer <token>. Leave empty for public feeds.")]
    public string? BearerToken { get; set; }

    /// <summary>How long fetching and parsing the feed may take.</summary>
    [Range(1, 600)]
    [DisplayName("Timeout (seconds)")]
    [Description("How long fetching the feed may take, body included, before the operation fails.")]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The User-Agent header; some feed servers refuse requests without a descriptive one.</summary>
    [StringLength(256, MinimumLength = 1)]
    [RegularExpression(@"^[\x20-\x7E]+$", ErrorMessage = "must be printable ASCII on one line")]
    [DisplayName("User agent")]
    [Description("The User-Agent header sent with the request.")]
    public string UserAgent { get; set; } = "Ratatouille-RSS/1.0";
}
