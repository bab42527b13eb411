using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http;

/// <summary>
/// GET requests to the configured API with its headers and credentials, a timeout per attempt and
/// retries (429, 5xx, timeouts, network errors) with exponential backoff or the API's Retry-After.
/// Failures become <see cref="PluginException"/>s that say what to fix; credentials never appear in
/// them or in the log.
/// </summary>
internal sealed class HttpApiClient : IDisposable
{
    private const int SnippetLength = 200;
    private static readonly string UserAgent = $"Ratatouille/{typeof(HttpApiClient).Assembly.GetName().Version?.ToString(3) ?? "0"} (http connector)";

    private readonly HttpOptions _options;
    private readonly ILogger _logger;
    private readonly HttpClient _client;
    private readonly Uri _origin;
    private readonly int _maxRetries;

    /// <param name="options">The connection's options.</param>
    /// <param name="context">The platform context (logger, pooled HTTP handlers).</param>
    /// <param name="maxRetries">Fewer retries than configured (a connection check answers a waiting user); the options' by default.</param>
    public HttpApiClient(HttpOptions options, IPluginContext context, int? maxRetries = null)
    {
        _options = options;
        _maxRetries = Math.Min(maxRetries ?? options.MaxRetries, options.MaxRetries);
        _logger = context.Logger;
        _origin = new Uri(options.BaseUrl, UriKind.Absolute);
        _client = context.CreateHttpClient();

        // The timeout is per attempt and covers the body; HttpClient's own would also cut the retries short.
        _client.Timeout = Timeout.InfiniteTimeSpan;
    }

    private string? SecretParameter => _options.Auth.Type == HttpAuthType.ApiKey && _options.Auth.ApiKeyIn == ApiKeyLocation.Query ? _options.Auth.ApiKeyName : null;

    /// <summary>The URL as logs and messages show it (no credentials).</summary>
    public string Display(Uri url) => RequestUrl.Display(url, SecretParameter);

    /// <summary>Refuses a URL the API handed us (next link) that leads elsewhere: credentials go to the configured origin only.</summary>
    public void EnsureSameOrigin(Uri url, string stream)
    {
        if (!RequestUrl.SameOrigin(url, _origin))
        {
            throw new PluginException($"Stream '{stream}': the API's next-page link leads to {url.GetLeftPart(UriPartial.Authority)}, outside the base URL's origin {_origin.GetLeftPart(UriPartial.Authority)}. " +
                "Credentials are only sent to the base URL's origin; set the base URL to that origin if it is the same API.");
        }
    }

    /// <summary>GETs <paramref name="url"/> and parses its body as JSON, retrying transient failures.</summary>
    /// <exception cref="PluginException">The API refused, kept failing, timed out or answered something that is not JSON.</exception>
    public async Task<HttpPage> GetAsync(Uri url, string stream, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (page, failure) = await AttemptAsync(url, cancellationToken);
            if (page is not null)
            {
                return page;
            }

            var attempts = attempt == 0 ? "" : $" (gave up after {attempt + 1} attempts)";
            if (!failure!.Retryable || attempt >= _maxRetries)
            {
                throw new PluginException($"Stream '{stream}': {failure.Message}{(failure.Retryable ? attempts : "")}.{failure.Advice}");
            }

            var delay = failure.RetryAfter ?? RetryDelay.Backoff(attempt, _options.InitialBackoffSeconds, _options.MaxBackoffSeconds, Jitter());
            if (failure.RetryAfter is { } asked && asked.TotalSeconds > _options.MaxBackoffSeconds)
            {
                throw new PluginException($"Stream '{stream}': {failure.Message}; the API asks to wait {asked.TotalSeconds:0} s before retrying (Retry-After), " +
                    $"longer than maxBackoffSeconds ({_options.MaxBackoffSeconds:0.###} s). Raise maxBackoffSeconds or run the read later.");
            }

            _logger.LogWarning("Stream {Stream}: {Failure}; retry {Retry} of {MaxRetries} in {Delay:0.###} s{RetryAfter}",
                stream, failure.Message, attempt + 1, _maxRetries, delay.TotalSeconds, failure.RetryAfter is null ? "" : " (Retry-After)");

            // Cancelling during the wait ends it at once.
            await Task.Delay(delay, cancellationToken);
        }
    }

    public void Dispose() => _client.Dispose();

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394", Justification = "Jitter spreads retries; it needs no unpredictability.")]
    private static double Jitter() => Random.Shared.NextDouble();

    private async Task<(HttpPage? Page, Failure? Failure)> AttemptAsync(Uri url, CancellationToken cancellationToken)
    {
        var shown = Display(url);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            using var request = CreateRequest(url);
            _logger.LogDebug("GET {Url}", shown);
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
            {
                var snippet = await SnippetAsync(response, timeout.Token);
                return (null, new Failure($"GET {shown} answered {status} {response.ReasonPhrase}{snippet}", true, RetryDelay.FromRetryAfter(response.Headers.RetryAfter, DateTimeOffset.UtcNow)));
            }

            if (!response.IsSuccessStatusCode)
            {
                return (null, Refused(response, shown, await SnippetAsync(response, timeout.Token)));
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var links = response.Headers.TryGetValues("Link", out var values) ? values.ToList() : [];
            try
            {
                return (new HttpPage(url, JsonDocument.Parse(bytes), links), null);
            }
            catch (JsonException ex)
            {
                var type = response.Content.Headers.ContentType?.MediaType ?? "no content type";
                var body = bytes.Length == 0 ? "an empty body" : $"{bytes.Length:N0} bytes of {type} starting \"{Cut(Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, SnippetLength * 2)))}\"";
                return (null, new Failure($"GET {shown} answered {status} with a body that is not JSON ({body}): {ex.Message}", false, null,
                    " Check the URL and path: the connector reads JSON APIs only (an HTML page usually means a wrong path or a login page)."));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new Failure($"GET {shown} timed out after {_options.TimeoutSeconds} s", true, null,
                " Raise timeoutSeconds if the API is slow, or check that it is reachable from the server."));
        }
        catch (HttpRequestException ex) when (Refusal(ex) is { } refusal)
        {
            // The platform refused the destination (its network policy, e.g. after a redirect): retrying cannot help.
            throw new PluginException($"GET {shown} was refused: {refusal.Message}", refusal);
        }
        catch (HttpRequestException ex)
        {
            return (null, new Failure($"GET {shown} failed: {ex.Message}", true, null, " Check the base URL and that the server can reach the API."));
        }
        catch (IOException ex)
        {
            return (null, new Failure($"GET {shown} broke off while reading the body: {ex.Message}", true, null, null));
        }
    }

    private HttpRequestMessage CreateRequest(Uri url)
    {
        var auth = _options.Auth;
        if (auth.Type == HttpAuthType.ApiKey && auth.ApiKeyIn == ApiKeyLocation.Query && !RequestUrl.HasParameter(url, auth.ApiKeyName!))
        {
            url = RequestUrl.WithParameters(url, [new(auth.ApiKeyName!, auth.ApiKeyValue ?? "")]);
        }

        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        try
        {
            foreach (var (name, value) in _options.Headers)
            {
                SetHeader(request, name, value);
            }

            switch (auth.Type)
            {
                case HttpAuthType.Bearer:
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", auth.Token);
                    break;
                case HttpAuthType.Basic:
                    request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{auth.Username}:{auth.Password}")));
                    break;
                case HttpAuthType.ApiKey when auth.ApiKeyIn == ApiKeyLocation.Header:
                    SetHeader(request, auth.ApiKeyName!, auth.ApiKeyValue ?? "");
                    break;
            }
        }
        catch
        {
            request.Dispose();
            throw;
        }

        return request;
    }

    private static void SetHeader(HttpRequestMessage request, string name, string value)
    {
        try
        {
            request.Headers.Remove(name);
            if (request.Headers.TryAddWithoutValidation(name, value))
            {
                return;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            // Content headers (Content-Type, …) and malformed names land here.
        }

        throw new PluginException($"The header '{name}' cannot be sent with a GET request (not a valid request header name, or it describes a request body).");
    }

    private Failure Refused(HttpResponseMessage response, string shown, string snippet)
    {
        var status = (int)response.StatusCode;
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new Failure($"GET {shown} answered 401 Unauthorized{snippet}", false, null,
                _options.Auth.Type == HttpAuthType.None
                    ? " The API wants credentials: set the authentication (bearer, basic or apiKey)."
                    : $" The API did not accept the credentials: check the {Describe(_options.Auth.Type)} in the authentication settings."),
            HttpStatusCode.Forbidden => new Failure($"GET {shown} answered 403 Forbidden{snippet}", false, null,
                " The credentials were accepted but may not read this resource (or the API blocks the client): check their permissions or scopes."),
            HttpStatusCode.NotFound => new Failure($"GET {shown} answered 404 Not Found", false, null,
                " Check the base URL and the stream's path."),
            _ => new Failure($"GET {shown} answered {status} {response.ReasonPhrase}{snippet}", false, null, null),
        };
    }

    private static string Describe(HttpAuthType type) => type switch
    {
        HttpAuthType.Bearer => "bearer token",
        HttpAuthType.Basic => "username and password",
        _ => "API key (name, value and where it is sent)",
    };

    private static async Task<string> SnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return string.IsNullOrWhiteSpace(text) ? "" : $": \"{Cut(text)}\"";
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return "";
        }
    }

    private static string Cut(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= SnippetLength ? flat : flat[..SnippetLength] + "…";
    }

    private sealed record Failure(string Message, bool Retryable, TimeSpan? RetryAfter, string? Advice = null);

    private static PluginException? Refusal(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is PluginException refusal)
            {
                return refusal;
            }
        }

        return null;
    }
}
