using System.Text.Json;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Http;

/// <summary>Finds the records in a body with a stream's record selector.</summary>
internal static class RecordSelector
{
    /// <summary>
    /// The records: the elements of the array at the selector (scalars become <c>{"value": …}</c>), the object
    /// there as one record, or none when the path is missing or null (an API may leave the array out of an
    /// empty last page). <paramref name="found"/> tells the last case apart, for messages.
    /// </summary>
    public static List<JsonElement> Select(JsonElement body, string? selector, string stream, out bool found)
    {
        found = JsonPath.TrySelect(body, selector, out var selected);
        if (!found || selected.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return selected.ValueKind switch
        {
            JsonValueKind.Array => selected.EnumerateArray().Where(e => e.ValueKind != JsonValueKind.Null).Select(AsRecord).ToList(),
            JsonValueKind.Object => [selected],
            _ => throw new PluginException($"Stream '{stream}': the record selector '{selector}' points to {JsonPath.Describe(selected)}, not to an array of records."),
        };
    }

    private static JsonElement AsRecord(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return element;
        }

        using var wrapped = JsonDocument.Parse($"{{\"value\":{element.GetRawText()}}}");
        return wrapped.RootElement.Clone();
    }
}
