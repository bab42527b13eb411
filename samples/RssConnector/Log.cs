using Microsoft.Extensions.Logging;
using Ratatouille.Sdk;

namespace Ratatouille.Samples.Rss;

/// <summary>
/// The connector's log messages, defined once. <see cref="LoggerMessage.Define{T1, T2}(LogLevel, EventId, string)"/>
/// rather than the [LoggerMessage] generator: the SDK package does not bring the logging package's analyzers.
/// </summary>
internal static class Log
{
    private static readonly Action<ILogger, int, string, Exception?> UnparsedDatesMessage = LoggerMessage.Define<int, string>(
        LogLevel.Warning, new EventId(1, "UnparsedDates"), "{Count} date(s) in {Feed} are not RFC 822 or ISO 8601 dates and were left empty");

    private static readonly Action<ILogger, int, int, string, string, Exception?> ReadMessage = LoggerMessage.Define<int, int, string, string>(
        LogLevel.Information, new EventId(2, "Read"), "Read {Read} of the {Items} item(s) of {Feed} ({Mode})");

    /// <summary>Some dates were present but not understood.</summary>
    public static void UnparsedDates(ILogger logger, int count, string feed) => UnparsedDatesMessage(logger, count, feed, null);

    /// <summary>A read finished. <paramref name="feed"/> is the display URL (no query string: it may carry a key).</summary>
    public static void Read(ILogger logger, int read, int items, string feed, SyncMode mode) =>
        ReadMessage(logger, read, items, feed, mode == SyncMode.Incremental ? "incremental" : "full", null);
}
