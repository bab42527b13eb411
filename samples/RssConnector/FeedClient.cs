using System.Net;
using System.Net.Http.Headers;
using System.Xml;
using System.Xml.Linq;
using Ratatouille.Sdk;

namespace Ratatouille.Samples.Rss;

/// <summary>Fetches and parses the feed; every failure a user can fix becomes a <see cref="PluginException"/> that says how.</summary>
internal static class FeedClient
{
    /// <summary>A feed is read whole into memory; this bounds what a wrong URL (a video, a dump) can cost.</summary>
    private const long MaxCharacters = 64L * 1024 * 1024;

    private const string Accept = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1";

    /// <summary>Downloads and parses the feed named by <paramref name="options"/>.</summary>
    /// <exception cref="PluginException">The feed cannot be fetched, is not XML, or is not RSS 2.0 or Atom.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<Feed> FetchAsync(RssOptions options, IPluginContext context, CancellationToken cancellationToken)
    {
        var url = FeedUrl(options);
        var source = Display(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(Accept);
        request.Headers.TryAddWithoutValidation("User-Agent", string.IsNullOrWhiteSpace(options.UserAgent) ? new RssOptions().UserAgent : options.UserAgent);
        if (!string.IsNullOrWhiteSpace(options.BearerToken))
        {
            if (options.BearerToken.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new PluginException("The bearer token contains a line break; paste the token alone.");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.BearerToken.Trim());
        }

        // The timeout covers the whole download and the parse, not only the response headers (HttpClient.Timeout would).
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        using var http = context.CreateHttpClient();
        http.Timeout = Timeout.InfiniteTimeSpan;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new PluginException(StatusMessage(response, source));
            }

            var contentType = response.Content.Headers.ContentType?.MediaType;
            XDocument document;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
                using var reader = XmlReader.Create(body, new XmlReaderSettings
                {
                    Async = true,
                    // Feeds need no DTD; ignoring it rules out entity expansion and external entities.
                    DtdProcessing = DtdProcessing.Ignore,
                    IgnoreComments = true,
                    IgnoreProcessingInstructions = true,
                    MaxCharactersInDocument = MaxCharacters,
                });
                document = await XDocument.LoadAsync(reader, LoadOptions.None, timeout.Token);
            }
            catch (XmlException ex)
            {
                var hint = contentType is "text/html" or "application/xhtml+xml"
                    ? " It answered with a web page: use the address of the feed itself, not of the page that links to it."
                    : " Check that the URL points at the RSS or Atom document.";
                throw new PluginException($"{source} did not return XML{(contentType is null ? "" : $" (Content-Type {contentType})")}: {ex.Message}{hint}", ex);
            }

            return FeedParser.Parse(document, response.RequestMessage?.RequestUri ?? url, source);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PluginException($"{source} did not answer within {options.TimeoutSeconds} s (option timeoutSeconds).", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new PluginException($"Cannot fetch {source}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new PluginException($"The connection to {source} broke while reading the feed: {ex.Message}", ex);
        }
    }

    /// <summary>The feed URL, checked again here: options built in code skip the form's validation.</summary>
    private static Uri FeedUrl(RssOptions options) =>
        Uri.TryCreate(options.FeedUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new InvalidOptionsException($"'feedUrl': '{options.FeedUrl}' is not an http:// or https:// URL.");

    /// <summary>The URL for messages and logs: without user info and query string, which may carry credentials.</summary>
    private static string Display(Uri url) => $"{url.Scheme}://{url.Authority}{url.AbsolutePath}";

    private static string StatusMessage(HttpResponseMessage response, string source)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $"{source} answered {status}: the feed needs credentials, or the bearer token was refused.",
            HttpStatusCode.NotFound or HttpStatusCode.Gone =>
                $"{source} answered {status}: there is no feed at this address; check the feed URL.",
            HttpStatusCode.TooManyRequests =>
                $"{source} answered {status}: the server limits how often the feed may be fetched; schedule reads less often.",
            >= HttpStatusCode.InternalServerError =>
                $"{source} answered {status}: the feed server failed; try again later.",
            _ => $"{source} answered {status}.",
        };
    }
}
