using System.Globalization;
using System.Runtime.CompilerServices;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http;

/// <summary>Requests a stream's pages one after the other, in the stream's pagination style.</summary>
internal static class Paginator
{
    /// <summary>
    /// The pages of <paramref name="stream"/>. <paramref name="cursor"/>, when given, is sent in the stream's cursor
    /// parameter with every request the connector builds (links from the API are followed as they are).
    /// Each page's records are valid until the next one is requested.
    /// </summary>
    /// <exception cref="PluginException">A request failed, a link leaves the API's origin, or the read passes maxPages.</exception>
    public static async IAsyncEnumerable<Page> ReadAsync(HttpApiClient api, HttpOptions options, HttpStreamOptions stream, string? cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pagination = stream.Pagination;
        var pageNumber = pagination.StartPage;
        long offset = 0;
        string? token = null;
        var url = FirstUrl(options, stream, cursor);
        for (var number = 1; ; number++)
        {
            using var response = await api.GetAsync(url, stream.Name, cancellationToken);
            var records = RecordSelector.Select(response.Body, stream.RecordSelector, stream.Name, out var found);
            yield return new Page(number, url, records, found, response.Body);

            Uri? next = null;
            switch (pagination.Type)
            {
                case PaginationType.PageNumber or PaginationType.OffsetLimit:
                    if (records.Count == 0 || (pagination.StopWhen == PageStopRule.ShortPage && records.Count < pagination.PageSize))
                    {
                        break;
                    }

                    pageNumber++;
                    offset += records.Count;
                    next = Url(options, stream, cursor, PagingParameters(pagination, pageNumber, offset, null));
                    break;

                case PaginationType.CursorToken:
                    var nextToken = JsonPath.SelectText(response.Body, pagination.TokenPath!);

                    // A token that comes back unchanged would read the same page forever.
                    if (nextToken is null || nextToken == token)
                    {
                        break;
                    }

                    token = nextToken;
                    next = Url(options, stream, cursor, PagingParameters(pagination, pageNumber, offset, token));
                    break;

                case PaginationType.NextLink:
                    next = Follow(api, url, JsonPath.SelectText(response.Body, pagination.NextLinkPath!), stream.Name);
                    break;

                case PaginationType.LinkHeader:
                    next = Follow(api, url, LinkHeader.Find(response.LinkHeaders, "next"), stream.Name);
                    break;
            }

            if (next is null)
            {
                yield break;
            }

            if (number >= options.MaxPages)
            {
                throw new PluginException($"Stream '{stream.Name}': stopped after {options.MaxPages:N0} pages (maxPages) while the API still offered a next page ({api.Display(next)}). " +
                    "Raise maxPages if the endpoint really has more, or check the pagination settings (an API that ignores the page parameter returns the same page forever).");
            }

            url = next;
        }
    }

    /// <summary>The URL of a stream's first page.</summary>
    public static Uri FirstUrl(HttpOptions options, HttpStreamOptions stream, string? cursor) =>
        Url(options, stream, cursor, PagingParameters(stream.Pagination, stream.Pagination.StartPage, 0, null));

    private static Uri Url(HttpOptions options, HttpStreamOptions stream, string? cursor, IEnumerable<KeyValuePair<string, string>> paging)
    {
        var parameters = new List<KeyValuePair<string, string>>(stream.Query);
        if (cursor is not null && !string.IsNullOrEmpty(stream.CursorParameter))
        {
            parameters.Add(new(stream.CursorParameter, cursor));
        }

        parameters.AddRange(paging);
        return RequestUrl.Build(options.BaseUrl, stream.Path, parameters);
    }

    private static List<KeyValuePair<string, string>> PagingParameters(HttpPaginationOptions pagination, int pageNumber, long offset, string? token)
    {
        var size = pagination.PageSize.ToString(CultureInfo.InvariantCulture);
        var parameters = new List<KeyValuePair<string, string>>();
        switch (pagination.Type)
        {
            case PaginationType.PageNumber:
                parameters.Add(new(pagination.PageParameter, pageNumber.ToString(CultureInfo.InvariantCulture)));
                if (!string.IsNullOrEmpty(pagination.PageSizeParameter))
                {
                    parameters.Add(new(pagination.PageSizeParameter, size));
                }

                break;
            case PaginationType.OffsetLimit:
                parameters.Add(new(pagination.OffsetParameter, offset.ToString(CultureInfo.InvariantCulture)));
                parameters.Add(new(pagination.LimitParameter, size));
                break;
            case PaginationType.CursorToken when token is not null:
                parameters.Add(new(pagination.TokenParameter, token));
                break;
        }

        return parameters;
    }

    private static Uri? Follow(HttpApiClient api, Uri current, string? link, string stream)
    {
        if (string.IsNullOrWhiteSpace(link))
        {
            return null;
        }

        if (!Uri.TryCreate(current, link.Trim(), out var next) || (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps))
        {
            throw new PluginException($"Stream '{stream}': the API's next-page link \"{link}\" is not an http(s) URL.");
        }

        api.EnsureSameOrigin(next, stream);

        // A link to the page just read would loop.
        return next == current ? null : next;
    }
}
