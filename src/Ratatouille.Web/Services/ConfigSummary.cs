using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratatouille.Web.Services;

/// <summary>A connection's configuration as label/value lines, labelled with the schema's titles (secrets arrive masked).</summary>
public static class ConfigSummary
{
    public static IReadOnlyList<(string Label, string Value)> Lines(OptionField root, JsonObject config)
    {
        var lines = new List<(string, string)>();
        Walk(root, config, "", lines);
        return lines;
    }

    private static void Walk(OptionField root, JsonObject node, string path, List<(string, string)> lines)
    {
        foreach (var (key, value) in node)
        {
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (value is JsonObject nested && root.TitleOf(childPath) is not null && IsGroup(root, childPath))
            {
                Walk(root, nested, childPath, lines);
                continue;
            }

            lines.Add((root.TitleOf(childPath) ?? childPath, Text(value)));
        }
    }

    private static bool IsGroup(OptionField root, string path)
    {
        var field = root;
        foreach (var part in path.Split('.'))
        {
            field = field.Fields.FirstOrDefault(f => f.Name == part);
            if (field is null)
            {
                return false;
            }
        }

        return field.Kind == OptionKind.Group;
    }

    private static string Text(JsonNode? value) => value switch
    {
        null => "not set",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is { Length: > 0 } s ? s : "(empty)",
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "yes",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "no",
        JsonArray { Count: 0 } => "(none)",
        JsonArray a when a.All(i => i is JsonValue) => string.Join(", ", a.Select(i => i is JsonValue iv && iv.GetValueKind() == JsonValueKind.String ? iv.GetValue<string>() : i!.ToJsonString())),
        JsonObject { Count: 0 } => "(none)",
        JsonObject o when o.All(p => p.Value is JsonValue) => string.Join(", ", o.Select(p => $"{p.Key}: {Text(p.Value)}")),
        _ => value.ToJsonString(),
    };
}
