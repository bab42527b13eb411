using System.Globalization;
using System.Text;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>
/// SQLite values (any storage class can sit in any column) to column values. A value of another class is
/// converted only when nothing is lost — 3.0 → 3, '12' → 12, 7 → '7', 1 → true, UTF-8 BLOB → text —
/// otherwise the caller gets the reason and reports the row.
/// </summary>
internal static class ValueCoercion
{
    private const long MaxExactDouble = 1L << 53;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The value for <paramref name="column"/>, or null with <paramref name="problem"/> set.</summary>
    /// <param name="value">long, double, string or byte[] (the storage class as read).</param>
    public static object? Convert(object value, SqliteColumn column, out string? problem)
    {
        problem = null;
        object? result = column.Kind switch
        {
            ColumnKind.Integer => value switch
            {
                long integer => integer,
                double real when double.IsFinite(real) && real == Math.Truncate(real) && real >= long.MinValue && real < 9.2233720368547758E18 => (long)real,
                string text when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) && parsed.ToString(CultureInfo.InvariantCulture) == text => parsed,
                _ => null,
            },
            ColumnKind.Real => value switch
            {
                double real => real,
                long integer when Math.Abs(integer) <= MaxExactDouble => (double)integer,
                string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) => parsed,
                _ => null,
            },
            ColumnKind.Text => value switch
            {
                string text => text,
                long integer => integer.ToString(CultureInfo.InvariantCulture),
                double real => real.ToString("R", CultureInfo.InvariantCulture),
                byte[] bytes => Utf8(bytes),
                _ => null,
            },
            ColumnKind.Blob => value switch
            {
                byte[] bytes => bytes,
                string text => Encoding.UTF8.GetBytes(text),
                _ => null,
            },
            ColumnKind.Boolean => value switch
            {
                long integer when integer is 0 or 1 => integer == 1,
                double real when real is 0 or 1 => real == 1,
                string text when bool.TryParse(text, out var parsed) => parsed,
                string text when text is "0" or "1" => text == "1",
                _ => null,
            },
            ColumnKind.Decimal => ToDecimal(value, column),
            ColumnKind.Date => value is string text && DateTimeText.TryParseDate(text, out var date) ? date : null,
            ColumnKind.Timestamp => value is string text && DateTimeText.TryParse(text, out var local, out _) && local.Offset == TimeSpan.Zero ? local.UtcDateTime : null,
            ColumnKind.TimestampUtc => value is string text && DateTimeText.TryParse(text, out var instant, out _) ? instant : null,
            _ => null,
        };

        if (result is null)
        {
            problem = $"{Describe(value)} {Reason(column)}";
        }

        return result;
    }

    /// <summary>A value for messages: "the text 'abc'", "the real 2.5", "a BLOB of 16 bytes".</summary>
    public static string Describe(object value) => value switch
    {
        long integer => $"the integer {integer.ToString(CultureInfo.InvariantCulture)}",
        double real => $"the real {real.ToString("R", CultureInfo.InvariantCulture)}",
        string text => $"the text '{(text.Length > 60 ? text[..57] + "…" : text)}'",
        byte[] bytes => $"a BLOB of {bytes.Length:N0} bytes",
        _ => value.ToString() ?? "a value",
    };

    private static string Reason(SqliteColumn column) => column.Kind switch
    {
        ColumnKind.Integer => "is not an integer",
        ColumnKind.Real => "is not a number (or not exactly one as a double)",
        ColumnKind.Text => "is not UTF-8 text",
        ColumnKind.Blob => "is not a BLOB or text",
        ColumnKind.Boolean => "is not a boolean (0, 1, true or false)",
        ColumnKind.Decimal => $"does not fit DECIMAL({column.Precision},{column.Scale}) without rounding",
        ColumnKind.Date => "is not a date (YYYY-MM-DD)",
        ColumnKind.Timestamp => "is not a date-time without time zone (YYYY-MM-DD HH:MM:SS[.ffffff])",
        _ => "is not a date-time (YYYY-MM-DD HH:MM:SS[.ffffff][±HH:MM])",
    };

    private static string? Utf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static decimal? ToDecimal(object value, SqliteColumn column)
    {
        decimal number;
        try
        {
            switch (value)
            {
                case long integer:
                    number = integer;
                    break;

                // A REAL holds a binary fraction: its shortest round-trip decimal is the value that was meant (0.1, not 0.1000000000000000055…).
                case double real when double.IsFinite(real):
                    number = decimal.Parse(real.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
                    break;
                case string text when decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var parsed):
                    number = parsed;
                    break;
                default:
                    return null;
            }
        }
        catch (OverflowException)
        {
            return null;
        }

        if (Math.Round(number, column.Scale) != number)
        {
            return null;
        }

        var integerDigits = column.Precision - column.Scale;
        return integerDigits >= 29 || Math.Abs(decimal.Truncate(number)) < Pow10(integerDigits) ? number : null;
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}
