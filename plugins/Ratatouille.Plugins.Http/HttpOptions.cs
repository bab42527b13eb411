using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Plugins.Http;

/// <summary>Configuration of an HTTP/REST connection: one API, one or more endpoints as streams.</summary>
[Description("A JSON API read over HTTP GET: one stream per endpoint.")]
public sealed class HttpOptions
{
    [Required]
    [StringLength(2048, MinimumLength = 8)]
    [RegularExpression(@"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+[^\s?#]*$", ErrorMessage = "must be an http:// or https:// URL without query string")]
    [DisplayName("Base URL")]
    [Description("The API's root, e.g. https://api.github.com. Stream paths are appended to it. Only http and https.")]
    public string BaseUrl { get; set; } = "";

    [Required]
    [MinLength(1, ErrorMessage = "must list at least one stream")]
    [DisplayName("Streams")]
    [Description("The endpoints to read, one stream each.")]
    public List<HttpStreamOptions> Streams { get; set; } = [];

    [DisplayName("Headers")]
    [Description("Sent with every request, e.g. {\"Accept\": \"application/vnd.github+json\"}. Put credentials in Authentication, not here: headers are stored in clear.")]
    public Dictionary<string, string> Headers { get; set; } = [];

    [DisplayName("Authentication")]
    public HttpAuthOptions Auth { get; set; } = new();

    [DisplayName("Timeout (seconds)")]
    [Description("How long one request may take, body included, before it counts as failed (and is retried).")]
    [Range(1, 3600)]
    public int TimeoutSeconds { get; set; } = 30;

    [DisplayName("Max retries")]
    [Description("Retries of a request after 429, 5xx, a timeout or a network error. 0 to fail at once.")]
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 5;

    [DisplayName("First backoff (seconds)")]
    [Description("The wait before the first retry; it doubles with each retry (with jitter) unless the API sends Retry-After.")]
    [Range(0.0, 600.0)]
    public double InitialBackoffSeconds { get; set; } = 1;

    [DisplayName("Max backoff (seconds)")]
    [Description("The longest wait between retries. A Retry-After asking for more fails the request with a message instead.")]
    [Range(0.0, 3600.0)]
    public double MaxBackoffSeconds { get; set; } = 60;

    [DisplayName("Max pages")]
    [Description("Safety limit on pages per read: a read that would go past it fails (a loop in pagination, or a bigger API than expected).")]
    [Range(1, 10_000_000)]
    public int MaxPages { get; set; } = 10_000;
}
