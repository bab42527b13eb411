using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Ratatouille.Samples.Rss.Tests;

/// <summary>
/// The HTTP handler the test plugin context sends through: it answers the URLs a test registered with
/// fixed documents and anything else with 404, and records every request.
/// </summary>
public sealed class StubFeedServer : HttpMessageHandler
{
    private readonly ConcurrentDictionary<Uri, Func<CancellationToken, Task<HttpResponseMessage>>> _routes = new();

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Answers <paramref name="url"/> with <paramref name="body"/> (replacing what it answered before).</summary>
    public void Serve(string url, string body, string contentType = "application/rss+xml", HttpStatusCode status = HttpStatusCode.OK) =>
        _routes[new Uri(url)] = _ => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) });

    /// <summary>Answers <paramref name="url"/> only when the request is cancelled: a server that never responds.</summary>
    public void Hang(string url) =>
        _routes[new Uri(url)] = async cancellationToken =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!;
        Requests.Enqueue(new RecordedRequest(url, request.Headers.Authorization?.ToString(), request.Headers.UserAgent.ToString(), request.Headers.Accept.ToString()));
        var response = _routes.TryGetValue(url, out var route)
            ? await route(cancellationToken)
            : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("<html><body>Not found</body></html>", Encoding.UTF8, "text/html") };
        response.RequestMessage = request;
        return response;
    }
}
