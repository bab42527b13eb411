using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Ratatouille.Web.Services;

/// <summary>
/// One option of a plugin's options schema (what <c>Ratatouille.Sdk.OptionsSchema.Generate</c> writes), read
/// into what a form needs: the kind of editor, the labels, the limits, and the fields of nested objects.
/// </summary>
public sealed class OptionField
{
    private OptionField(string name, OptionKind kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>The JSON property name (empty for the root and for list items).</summary>
    public string Name { get; }

    public OptionKind Kind { get; }

    public string Title { get; private init; } = "";

    public string? Description { get; private init; }

    public bool Required { get; private init; }

    /// <summary>The schema allows null: the option can be left unset.</summary>
    public bool Nullable { get; private init; }

    /// <summary>A string with a <c>format</c> (uri, uuid, date-time, duration, date): blank means unset, never "".</summary>
    public string? Format { get; private init; }

    public JsonNode? Default { get; private init; }

    public double? Minimum { get; private init; }

    public double? Maximum { get; private init; }

    public int? MinLength { get; private init; }

    public int? MaxLength { get; private init; }

    public string? Pattern { get; private init; }

    /// <summary>The values of a <see cref="OptionKind.Choice"/> (null excluded).</summary>
    public IReadOnlyList<string> Choices { get; private init; } = [];

    /// <summary>The fields of a <see cref="OptionKind.Group"/> (and of the root).</summary>
    public IReadOnlyList<OptionField> Fields { get; private init; } = [];

    /// <summary>The item of a <see cref="OptionKind.List"/> or <see cref="OptionKind.GroupList"/>; the value of a <see cref="OptionKind.Map"/>.</summary>
    public OptionField? Item { get; private init; }

    /// <summary>Limits and format as one short hint for the form, e.g. "1–65535" or "at most 2 characters".</summary>
    public string? Hint
    {
        get
        {
            var parts = new List<string>();
            if (Minimum is { } min && Maximum is { } max)
            {
                parts.Add($"{Number(min)}–{Number(max)}");
            }
            else if (Minimum is { } onlyMin)
            {
                parts.Add($"at least {Number(onlyMin)}");
            }
            else if (Maximum is { } onlyMax)
            {
                parts.Add($"at most {Number(onlyMax)}");
            }

            if (MaxLength is { } maxLength)
            {
                parts.Add(MinLength is { } minLength and > 1 ? $"{minLength}–{maxLength} characters" : $"at most {maxLength} characters");
            }

            if (Pattern is not null)
            {
                parts.Add($"format {Pattern}");
            }

            if (Format is not null && Kind == OptionKind.Text)
            {
                parts.Add(Format switch
                {
                    "duration" => "a duration such as 00:05:00",
                    "date-time" => "a date and time such as 2024-05-01T10:00:00Z",
                    "date" => "a date such as 2024-05-01",
                    "uuid" => "a UUID",
                    "uri" => "a URL",
                    _ => Format,
                });
            }

            return parts.Count == 0 ? null : string.Join(" · ", parts);
        }
    }

    /// <summary>
    /// The titles along a JSON path of the kernel's messages (<c>auth.password</c>, <c>streams[0].name</c>) for
    /// the form's words: "Authentication › Password", "Streams 1 › Stream name"; null when the path is unknown.
    /// </summary>
    public string? TitleOf(string path)
    {
        var titles = new List<string>();
        var field = this;
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            var child = field.Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (child is null)
            {
                return null;
            }

            titles.Add(child.Title);
            field = child;
            if (bracket >= 0 && int.TryParse(part[(bracket + 1)..].TrimEnd(']'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
            {
                titles[^1] += $" {index + 1}";
                if (child.Kind != OptionKind.GroupList || child.Item is null)
                {
                    return string.Join(" › ", titles);
                }

                field = child.Item;
            }
        }

        return string.Join(" › ", titles);
    }

    /// <summary>A kernel message starting with <c>'path': </c> told with the form's titles instead.</summary>
    public string Explain(string message)
    {
        if (message.StartsWith('\'') && message.IndexOf("': ", 1, StringComparison.Ordinal) is var end and > 0 && TitleOf(message[1..end]) is { } title)
        {
            return $"{title}: {message[(end + 3)..]}";
        }

        return message;
    }

    /// <summary>The root object of an options schema; a component without options gives an empty group.</summary>
    public static OptionField Root(JsonObject? schema) =>
        schema is null ? new OptionField("", OptionKind.Group) : Parse("", schema, required: false);

    private static OptionField Parse(string name, JsonObject schema, bool required)
    {
        var (type, nullable) = TypeOf(schema);
        var secret = schema["x-secret"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
        var kind = KindOf(type, schema, secret);
        var requiredNames = (schema["required"] as JsonArray)?.Select(n => n?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
        var fields = kind == OptionKind.Group && schema["properties"] is JsonObject properties
            ? properties.Where(p => p.Value is JsonObject).Select(p => Parse(p.Key, (JsonObject)p.Value!, requiredNames.Contains(p.Key))).ToList()
            : [];
        OptionField? item = kind switch
        {
            OptionKind.List or OptionKind.GroupList when schema["items"] is JsonObject items => Parse("", items, required: false),
            OptionKind.Map when schema["additionalProperties"] is JsonObject values => Parse("", values, required: false),
            _ => null,
        };
        return new OptionField(name, kind)
        {
            Title = schema["title"]?.GetValue<string>() ?? Humanize(name),
            Description = schema["description"]?.GetValue<string>(),
            Required = required,
            Nullable = nullable,
            Format = schema["format"]?.GetValue<string>() is { } format && format != "password" ? format : null,
            Default = schema["default"]?.DeepClone(),
            Minimum = NumberOf(schema["minimum"]),
            Maximum = NumberOf(schema["maximum"]),
            MinLength = (int?)NumberOf(schema["minLength"]),
            MaxLength = (int?)NumberOf(schema["maxLength"]),
            Pattern = schema["pattern"]?.GetValue<string>(),
            Choices = (schema["enum"] as JsonArray)?.Where(n => n is not null).Select(n => n!.GetValue<string>()).ToList() ?? [],
            Fields = fields,
            Item = item,
        };
    }

    private static OptionKind KindOf(string? type, JsonObject schema, bool secret) => type switch
    {
        _ when schema["enum"] is JsonArray => OptionKind.Choice,
        "string" => secret ? OptionKind.Secret : OptionKind.Text,
        "integer" => OptionKind.WholeNumber,
        "number" => OptionKind.Number,
        "boolean" => OptionKind.Boolean,
        "object" when schema["additionalProperties"] is JsonObject values => IsPlain(values) ? OptionKind.Map : OptionKind.Json,
        "object" => OptionKind.Group,
        "array" when schema["items"] is JsonObject items => IsPlain(items) ? OptionKind.List
            : TypeOf(items).Type == "object" && items["additionalProperties"] is not JsonObject ? OptionKind.GroupList
            : OptionKind.Json,
        _ => OptionKind.Json,
    };

    /// <summary>A value that fits on one line of text: string, number, boolean or enum.</summary>
    private static bool IsPlain(JsonObject schema) => TypeOf(schema).Type is "string" or "integer" or "number" or "boolean";

    /// <summary>The JSON type, with <c>["string", "null"]</c> read as a nullable string.</summary>
    private static (string? Type, bool Nullable) TypeOf(JsonObject schema) => schema["type"] switch
    {
        JsonValue value => (value.GetValue<string>(), false),
        JsonArray types => (types.Select(t => t?.GetValue<string>()).FirstOrDefault(t => t is not null and not "null"),
            types.Any(t => t?.GetValue<string>() == "null")),
        _ => (null, false),
    };

    // Parsed from the text: a JsonValue built from an int does not hand itself out as a double.
    private static double? NumberOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary><c>timeoutSeconds</c> → "Timeout seconds", for options without a display name.</summary>
    private static string Humanize(string name)
    {
        if (name.Length == 0)
        {
            return "";
        }

        var builder = new StringBuilder();
        builder.Append(char.ToUpperInvariant(name[0]));
        for (var i = 1; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && !char.IsUpper(name[i - 1]))
            {
                builder.Append(' ').Append(char.ToLowerInvariant(name[i]));
            }
            else
            {
                builder.Append(name[i] == '_' ? ' ' : name[i]);
            }
        }

        return builder.ToString();
    }
}
