using Microsoft.Extensions.Logging;
using Ratatouille.Sdk;

namespace Ratatouille.Samples.Rss;

/// <summary>The connector's log messages, declared once with the [LoggerMessage] generator the SDK package brings.</summary>
internal static partial class Log
{
    /// <summary>Some dates were present but not understood.</summary>
    [LoggerMessage(EventId = 1, EventName = "UnparsedDates", Level = LogLevel.Warning,
        Message = "{Count} date(s) in {Feed} are not RFC 822 or ISO 8601 dates and were left empty")]
    public static partial void UnparsedDates(ILogger logger, int count, string feed);

    /// <summary>A read finished. <paramref name="feed"/> is the display URL (no query string: it may carry a key).</summary>
    public static void Read(ILogger logger, int read, int items, string feed, SyncMode mode) =>
        ReadFinished(logger, read, items, feed, mode == SyncMode.Incremental ? "incremental" : "full");

    [LoggerMessage(EventId = 2, EventName = "Read", Level = LogLevel.Information, Message = "Read {Read} of the {Items} item(s) of {Feed} ({Mode})")]
    private static partial void ReadFinished(ILogger logger, int read, int items, string feed, string mode);
}
