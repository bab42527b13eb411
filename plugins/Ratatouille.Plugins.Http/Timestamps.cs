using System.Globalization;
using System.Text.RegularExpressions;

namespace Ratatouille.Plugins.Http;

/// <summary>
/// ISO-8601 date-times with a zone designator (<c>2024-05-01T10:00:00Z</c>, <c>2024-05-01 10:00:00.123+02:00</c>).
/// Only these become timestamps: without a zone the instant is ambiguous, so such text stays text.
/// </summary>
internal static partial class Timestamps
{
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        var match = Iso().Match(text);
        if (!match.Success)
        {
            return false;
        }

        // .NET wants the offset as ±hh:mm.
        var normalized = match.Groups["offset"].Value is { Length: 5 } offset
            ? text[..match.Groups["offset"].Index] + offset[..3] + ":" + offset[3..]
            : text;
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(?<offset>[Zz]|[+-]\d{2}:\d{2}|[+-]\d{4})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Iso();
}
