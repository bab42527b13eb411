using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Ratatouille.Query;

/// <summary>Turns DuckDB errors (opened with <c>errors_as_json</c>) into <see cref="QueryException"/>s.</summary>
public static class DuckDbErrors
{
    /// <param name="offset">Characters before the user's SQL in the statement DuckDB ran.</param>
    public static QueryException Translate(DuckDBException ex, int offset)
    {
        var (type, message, rawPosition) = Parse(ex.Message);
        int? position = rawPosition is { } p && p >= offset ? p - offset : null;
        var kind = type switch
        {
            "Permission" => QueryErrorKind.Refused,
            "Interrupt" => QueryErrorKind.Timeout,
            _ => QueryErrorKind.Invalid,
        };
        var text = type is null ? message : $"{type} error: {message}";
        if (kind == QueryErrorKind.Refused)
        {
            text = $"Refused by the SQL sandbox: {message}. Queries may read only the catalog's datasets.";
        }

        return new QueryException(kind, text, position, ex);
    }

    /// <summary>Splits DuckDB's JSON error (<c>{"exception_type":…,"exception_message":…,"position":"12"}</c>), tolerating a text prefix.</summary>
    public static (string? Type, string Message, int? Position) Parse(string raw)
    {
        var start = raw.IndexOf('{', StringComparison.Ordinal);
        if (start >= 0)
        {
            try
            {
                using var doc = JsonDocument.Parse(raw[start..]);
                var root = doc.RootElement;
                var type = root.TryGetProperty("exception_type", out var t) ? t.GetString() : null;
                var message = root.TryGetProperty("exception_message", out var m) ? m.GetString() ?? raw : raw;
                int? position = root.TryGetProperty("position", out var p) && int.TryParse(p.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pos) ? pos : null;
                return (type, message, position);
            }
            catch (JsonException)
            {
                // Not the JSON form: fall through to the raw text.
            }
        }

        return (null, raw, null);
    }
}
