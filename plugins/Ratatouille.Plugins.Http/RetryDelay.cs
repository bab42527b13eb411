using System.Net.Http.Headers;

namespace Ratatouille.Plugins.Http;

/// <summary>How long to wait before a retry: the API's Retry-After, or exponential backoff with jitter.</summary>
internal static class RetryDelay
{
    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (0 for the first): <paramref name="initialSeconds"/>
    /// doubled per retry, capped at <paramref name="maxSeconds"/>, then a random point in its upper half
    /// ("equal jitter": clients that failed together do not come back together, and none retries at once).
    /// </summary>
    public static TimeSpan Backoff(int retry, double initialSeconds, double maxSeconds, double random)
    {
        var exponential = Math.Min(maxSeconds, initialSeconds * Math.Pow(2, Math.Min(retry, 30)));
        return TimeSpan.FromSeconds((exponential / 2) + (exponential / 2 * Math.Clamp(random, 0, 1)));
    }

    /// <summary>The wait a <c>Retry-After</c> header asks for (seconds or an HTTP date), or null when absent.</summary>
    public static TimeSpan? FromRetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>The wait a <c>Retry-After</c> value asks for, or null when it is not one.</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now) =>
        RetryConditionHeaderValue.TryParse(value, out var header) ? FromRetryAfter(header, now) : null;
}
