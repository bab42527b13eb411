using System.Globalization;
using System.Text.RegularExpressions;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>
/// SQLite's time strings (https://sqlite.org/lang_datefunc.html): <c>YYYY-MM-DD</c>, optionally followed by
/// <c>[T ]HH:MM[:SS[.fff]]</c> (at most microseconds, what Arrow keeps) and a zone <c>Z</c> or <c>±HH:MM</c>.
/// </summary>
internal static partial class DateTimeText
{
    /// <summary>A date without a time.</summary>
    public static bool TryParseDate(string text, out DateOnly date)
    {
        date = default;
        var match = Pattern().Match(text);
        return match.Success && !match.Groups["time"].Success && !match.Groups["zone"].Success
            && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>A date-time (a date alone is midnight; no zone is UTC). <paramref name="hasZone"/> tells whether it named its offset.</summary>
    public static bool TryParse(string text, out DateTimeOffset value, out bool hasZone)
    {
        value = default;
        var match = Pattern().Match(text);
        hasZone = match.Groups["zone"].Success;
        if (!match.Success)
        {
            return false;
        }

        var normalized = text.Replace(' ', 'T');
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(?<time>[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(?<zone>Z|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();
}
