using System.Globalization;
using System.Text.Json;

namespace Ratatouille.Plugins.Http;

/// <summary>
/// JSON values to column values. A value of another type is converted only when nothing is lost
/// (3.0 → 3, "42" → 42, 7 → "7", "true" → true); anything else is a problem the caller reports.
/// </summary>
internal static class ValueConverter
{
    /// <summary>The value for <paramref name="type"/>, or null with <paramref name="problem"/> set when it does not fit.</summary>
    public static object? Convert(JsonElement value, HttpFieldType type, out string? problem)
    {
        problem = null;
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        object? result = type switch
        {
            HttpFieldType.Integer => ToInteger(value),
            HttpFieldType.Number => ToNumber(value),
            HttpFieldType.Boolean => ToBoolean(value),
            HttpFieldType.Timestamp => value.ValueKind == JsonValueKind.String && Timestamps.TryParse(value.GetString()!, out var instant) ? instant : null,
            HttpFieldType.Json => value.GetRawText(),
            _ => value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            },
        };

        if (result is null)
        {
            problem = type switch
            {
                HttpFieldType.Integer => "not an integer",
                HttpFieldType.Number => "not a number",
                HttpFieldType.Boolean => "not a boolean",
                HttpFieldType.Timestamp => "not an ISO-8601 date-time with a time zone",
                _ => "not text",
            };
        }

        return result;
    }

    private static object? ToInteger(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out var integer))
            {
                return integer;
            }

            return value.TryGetDecimal(out var number) && number == decimal.Truncate(number) && number is >= long.MinValue and <= long.MaxValue
                ? (long)number
                : null;
        }

        // Text that is exactly an integer's canonical form ("42", not "042" or " 42").
        return value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            && parsed.ToString(CultureInfo.InvariantCulture) == value.GetString()
                ? parsed
                : null;
    }

    private static object? ToNumber(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number) => number,
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) => parsed,
        _ => null,
    };

    private static object? ToBoolean(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
        _ => null,
    };
}
