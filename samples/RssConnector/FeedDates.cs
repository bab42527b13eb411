using System.Globalization;
using System.Text.RegularExpressions;

namespace Ratatouille.Samples.Rss;

/// <summary>
/// Dates as feeds write them: RFC 822/2822 in RSS (<c>Tue, 10 Jun 2003 04:00:00 GMT</c>, with the
/// liberties real feeds take) and RFC 3339 in Atom and Dublin Core (<c>2003-12-13T18:30:02Z</c>).
/// Every result is a UTC instant truncated to microseconds, the precision the column stores, so a
/// cursor saved from a parsed date compares equal to the value written in the row.
/// </summary>
internal static partial class FeedDates
{
    private static readonly string[] Months =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    /// <summary>RFC 822 zone names still found in feeds; anything else unknown is refused rather than guessed.</summary>
    private static readonly Dictionary<string, int> ZoneHours = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0,
        ["EST"] = -5, ["EDT"] = -4, ["CST"] = -6, ["CDT"] = -5,
        ["MST"] = -7, ["MDT"] = -6, ["PST"] = -8, ["PDT"] = -7,
    };

    /// <summary>The instant <paramref name="text"/> names, or null when it is empty or not a date this parser knows.</summary>
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parsed = ParseRfc822(text) ?? ParseIso8601(text);
        return parsed is { } value ? Truncate(value.ToUniversalTime()) : null;
    }

    private static DateTimeOffset? ParseRfc822(string text)
    {
        var match = Rfc822().Match(text);
        if (!match.Success)
        {
            return null;
        }

        // "Jun", "June" and "Sept." all name a month; "Junk" does not.
        var monthText = match.Groups["month"].Value.ToLowerInvariant();
        var monthIndex = Array.FindIndex(Months, m => m.StartsWith(monthText, StringComparison.Ordinal));
        if (monthIndex < 0)
        {
            return null;
        }

        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["year"].Length == 2)
        {
            // RFC 2822 §4.3: two-digit years below 50 are 20xx.
            year += year < 50 ? 2000 : 1900;
        }

        if (ZoneOffset(match.Groups["zone"].Value) is not { } offset)
        {
            return null;
        }

        var day = int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture);
        var hour = int.Parse(match.Groups["hour"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(match.Groups["minute"].Value, CultureInfo.InvariantCulture);
        var second = match.Groups["second"].Success ? int.Parse(match.Groups["second"].Value, CultureInfo.InvariantCulture) : 0;
        if (year is < 1 or > 9999 || day < 1 || day > DateTime.DaysInMonth(year, monthIndex + 1) || hour > 23 || minute > 59 || second > 60)
        {
            return null;
        }

        // A leap second (":60") is the last instant of that minute for our purposes.
        return new DateTimeOffset(year, monthIndex + 1, day, hour, minute, Math.Min(second, 59), offset);
    }

    private static TimeSpan? ZoneOffset(string zone)
    {
        if (zone.Length == 0)
        {
            // No zone at all: RSS says GMT is implied more often than not; UTC is the least surprising guess.
            return TimeSpan.Zero;
        }

        if (zone[0] is '+' or '-')
        {
            var hours = int.Parse(zone.AsSpan(1, 2), CultureInfo.InvariantCulture);
            var minutes = int.Parse(zone.AsSpan(3, 2), CultureInfo.InvariantCulture);
            var offset = new TimeSpan(hours, minutes, 0);
            if (minutes > 59 || offset > TimeSpan.FromHours(14))
            {
                // Not an offset DateTimeOffset can hold (nor one any place on Earth uses).
                return null;
            }

            return zone[0] == '-' ? -offset : offset;
        }

        return ZoneHours.TryGetValue(zone, out var zoneHours) ? TimeSpan.FromHours(zoneHours) : null;
    }

    private static DateTimeOffset? ParseIso8601(string text) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value)
            ? value
            : null;

    private static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    // "Tue, 10 Jun 2003 04:00:00 GMT", "10 Jun 03 4:00 +0200", "Tuesday, 10 June 2003 04:00:00 EST".
    [GeneratedRegex(@"^\s*(?:[A-Za-z]{3,9},?\s+)?(?<day>\d{1,2})\s+(?<month>[A-Za-z]{3,9})\.?\s+(?<year>\d{4}|\d{2})\s+(?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2}))?\s*(?<zone>[+-]\d{4}|[A-Za-z]{1,5})?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc822();
}
