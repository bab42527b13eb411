using System.Globalization;
using System.Text.Json;

namespace Ratatouille.Plugins.Http;

/// <summary>Dotted paths into a JSON body: <c>data.items</c>, <c>meta.next_cursor</c>, <c>results.0.rows</c>.</summary>
internal static class JsonPath
{
    /// <summary>The element at <paramref name="path"/> (the root for an empty path); false when a step is missing.</summary>
    public static bool TrySelect(JsonElement root, string? path, out JsonElement value)
    {
        value = root;
        if (string.IsNullOrWhiteSpace(path))
        {
            return true;
        }

        foreach (var step in path.Split('.', StringSplitOptions.TrimEntries))
        {
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(step, out var child))
            {
                value = child;
            }
            else if (value.ValueKind == JsonValueKind.Array && int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < value.GetArrayLength())
            {
                value = value[index];
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A scalar at <paramref name="path"/> as text (strings as they are, numbers as written); null when missing, null or empty.</summary>
    public static string? SelectText(JsonElement root, string path)
    {
        if (!TrySelect(root, path, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>A short description of a JSON value for messages: its text, cut, and its kind.</summary>
    public static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        if (text.Length > 60)
        {
            text = text[..57] + "…";
        }

        var kind = value.ValueKind switch
        {
            JsonValueKind.String => "text",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => "null",
        };
        return $"{text} ({kind})";
    }

    /// <summary>The keys of an object, for messages about a path that is not there.</summary>
    public static string Keys(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
            ? "the keys there are " + string.Join(", ", value.EnumerateObject().Select(p => p.Name).Take(20))
            : $"the body is {(value.ValueKind == JsonValueKind.Array ? "an array" : "not an object")}";
}
