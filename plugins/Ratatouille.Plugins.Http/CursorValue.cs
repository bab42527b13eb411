using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http;

/// <summary>
/// A cursor position: compared by the column's type (numbers as numbers, timestamps as instants, text
/// ordinally), saved in the state as the API wrote it (so it can be sent back as is).
/// </summary>
internal sealed class CursorValue
{
    private readonly object _comparable;

    private CursorValue(object comparable, JsonNode json, string text)
    {
        _comparable = comparable;
        Json = json;
        Text = text;
    }

    /// <summary>The value for the state document.</summary>
    public JsonNode Json { get; }

    /// <summary>The value as a request parameter.</summary>
    public string Text { get; }

    /// <summary>The cursor of a record from its converted column value and its JSON value.</summary>
    public static CursorValue FromRecord(object value, JsonElement raw) => value switch
    {
        long integer => new CursorValue(integer, JsonValue.Create(integer), integer.ToString(CultureInfo.InvariantCulture)),
        double number => new CursorValue(number, JsonValue.Create(number), raw.ValueKind == JsonValueKind.Number ? raw.GetRawText() : number.ToString("R", CultureInfo.InvariantCulture)),
        DateTimeOffset instant => new CursorValue(instant, JsonValue.Create(raw.GetString()!), raw.GetString()!),
        _ => new CursorValue(value.ToString()!, JsonValue.Create(value.ToString()!), value.ToString()!),
    };

    /// <summary>The saved cursor (<c>state.cursor</c>) read for a column of <paramref name="type"/>; null when there is none.</summary>
    /// <exception cref="PluginException">The saved value does not fit the column's type.</exception>
    public static CursorValue? FromState(JsonNode? state, HttpFieldType type, string stream)
    {
        if (state is null)
        {
            return null;
        }

        if (state is not JsonObject || state["cursor"] is not JsonValue saved)
        {
            return state is JsonObject && state["cursor"] is null
                ? null
                : throw Unusable(state, stream, "it is not {\"cursor\": value}");
        }

        var text = saved.GetValueKind() == JsonValueKind.String ? saved.GetValue<string>() : saved.ToJsonString();
        CursorValue? cursor = type switch
        {
            HttpFieldType.Integer when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) =>
                new CursorValue(integer, JsonValue.Create(integer), text),
            HttpFieldType.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) =>
                new CursorValue(number, JsonValue.Create(number), text),
            HttpFieldType.Timestamp when Timestamps.TryParse(text, out var instant) => new CursorValue(instant, JsonValue.Create(text), text),
            HttpFieldType.String => new CursorValue(text, JsonValue.Create(text), text),
            _ => null,
        };
        return cursor ?? throw Unusable(state, stream, $"the saved value does not fit the cursor's type ({type.ToString().ToLowerInvariant()})");
    }

    public int CompareTo(CursorValue? other) => other is null ? 1 : (_comparable, other._comparable) switch
    {
        (long a, long b) => a.CompareTo(b),
        (double a, double b) => a.CompareTo(b),
        (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
        (string a, string b) => string.CompareOrdinal(a, b),
        _ => throw new InvalidOperationException("Cursors of different types cannot be compared."),
    };

    public JsonObject ToState() => new() { ["cursor"] = Json.DeepClone() };

    private static PluginException Unusable(JsonNode state, string stream, string why) =>
        new($"Stream '{stream}': the saved state {state.ToJsonString()} cannot be used ({why}). Run a full refresh to start over.");
}
