using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ratatouille.Security;

namespace Ratatouille.Web.Services;

/// <summary>
/// Between a connection's JSON configuration and the form's <see cref="OptionValue"/>s: fills the form
/// from a stored configuration (secrets as the mask) or from the schema's defaults, and builds the
/// configuration to save, listing every value that cannot be read instead of stopping at the first.
/// </summary>
public static class OptionsForm
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// The form's values for <paramref name="root"/>: from <paramref name="config"/> (a stored connection's, where
    /// the secrets in <paramref name="storedSecrets"/> show as the mask), or the defaults when it is null.
    /// </summary>
    public static OptionValue Create(OptionField root, JsonObject? config, IReadOnlyCollection<string> storedSecrets)
    {
        var value = Create(root, config ?? [], storedSecrets, "");
        value.Present = true;
        return value;
    }

    /// <summary>A new, default-filled item for a list of groups.</summary>
    public static OptionValue NewItem(OptionField list) => Create(list.Item!, null, [], "");

    /// <summary>The configuration the form describes; <paramref name="errors"/> gets what cannot be read.</summary>
    public static JsonObject ToConfig(OptionField root, OptionValue value, List<string> errors)
    {
        var (node, _) = ToJson(root, value, "", errors);
        return node as JsonObject ?? [];
    }

    private static OptionValue Create(OptionField field, JsonNode? node, IReadOnlyCollection<string> storedSecrets, string path)
    {
        var source = node ?? field.Default;
        var value = new OptionValue();
        switch (field.Kind)
        {
            case OptionKind.Secret:
                // Secrets never have defaults; a stored one comes back as the mask and stays unless replaced.
                // (Inside lists the kernel keeps no secrets apart, so such a value comes back as it is.)
                value.SecretStored = storedSecrets.Contains(path);
                value.Text = Plain(node) is { Length: > 0 } text && text != SecretStore.Mask ? text : value.SecretStored ? SecretStore.Mask : null;
                break;
            case OptionKind.Boolean when field.Nullable:
                value.Text = source?.GetValueKind() switch
                {
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => null,
                };
                break;
            case OptionKind.Boolean:
                value.Flag = source?.GetValueKind() == JsonValueKind.True;
                break;
            case OptionKind.Text or OptionKind.WholeNumber or OptionKind.Number or OptionKind.Choice:
                value.Text = Plain(source);
                break;
            case OptionKind.Group:
                value.Present = !field.Nullable || node is JsonObject;
                var fields = source as JsonObject;
                foreach (var child in field.Fields)
                {
                    value.Fields[child.Name] = Create(child, fields?[child.Name], storedSecrets, path.Length == 0 ? child.Name : $"{path}.{child.Name}");
                }

                break;
            case OptionKind.GroupList:
                foreach (var item in source as JsonArray ?? [])
                {
                    value.Items.Add(Create(field.Item!, item, [], ""));
                }

                break;
            case OptionKind.List:
                value.Text = source is JsonArray items ? string.Join('\n', items.Select(Plain)) : null;
                break;
            case OptionKind.Map:
                foreach (var (key, item) in source as JsonObject ?? [])
                {
                    value.Entries.Add(new OptionEntry { Key = key, Value = Plain(item) });
                }

                break;
            default:
                value.Text = source?.ToJsonString(Indented);
                break;
        }

        return value;
    }

    /// <summary>The JSON for one option, or Include = false to leave it out (the options class's default applies).</summary>
    private static (JsonNode? Node, bool Include) ToJson(OptionField field, OptionValue value, string label, List<string> errors)
    {
        var text = value.Text;
        switch (field.Kind)
        {
            case OptionKind.Secret:
                if (value.SecretRemoved)
                {
                    return (null, false);
                }

                if (value.SecretStored)
                {
                    // The field starts as the mask: what is left after its dots is what was typed. Blank, or
                    // only dots, keeps the stored value (the mask tells the kernel so).
                    var typed = (text ?? "").TrimStart(SecretStore.Mask[0]);
                    return typed.Length == 0 ? (SecretStore.Mask, true) : (typed, true);
                }

                return string.IsNullOrEmpty(text) ? (null, false) : (text, true);
            case OptionKind.Text:
                // A blank optional or formatted value is unset; a blank plain string is "" (and fails [Required] with its message).
                return string.IsNullOrEmpty(text)
                    ? field.Nullable || field.Format is not null ? (null, false) : ("", true)
                    : (text, true);
            case OptionKind.WholeNumber or OptionKind.Number or OptionKind.Choice:
                return string.IsNullOrWhiteSpace(text) ? (null, false) : (ParsePlain(field, text.Trim(), label, errors), true);
            case OptionKind.Boolean:
                return field.Nullable
                    ? text is null ? (null, false) : (text == "true", true)
                    : (value.Flag, true);
            case OptionKind.Group:
                if (field.Nullable && !value.Present)
                {
                    return (null, false);
                }

                var result = new JsonObject();
                foreach (var child in field.Fields)
                {
                    var (node, include) = ToJson(child, value.Child(child), Join(label, child.Title), errors);
                    if (include)
                    {
                        result[child.Name] = node;
                    }
                }

                return (result, true);
            case OptionKind.GroupList:
            {
                var items = new JsonArray();
                for (var i = 0; i < value.Items.Count; i++)
                {
                    items.Add(ToJson(field.Item!, value.Items[i], $"{label} {i + 1}", errors).Node ?? new JsonObject());
                }

                return items.Count == 0 && field.Nullable ? (null, false) : (items, true);
            }

            case OptionKind.List:
            {
                var lines = (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
                var items = new JsonArray(lines.Select(l => ParsePlain(field.Item!, l, label, errors)).ToArray());
                return items.Count == 0 && field.Nullable ? (null, false) : (items, true);
            }

            case OptionKind.Map:
            {
                var map = new JsonObject();
                foreach (var entry in value.Entries)
                {
                    var key = entry.Key?.Trim() ?? "";
                    if (key.Length == 0 && string.IsNullOrEmpty(entry.Value))
                    {
                        continue;
                    }

                    if (key.Length == 0)
                    {
                        errors.Add($"'{label}': a row has a value but no key.");
                    }
                    else if (map.ContainsKey(key))
                    {
                        errors.Add($"'{label}': the key '{key}' is there twice.");
                    }
                    else
                    {
                        map[key] = field.Item!.Kind is OptionKind.Text or OptionKind.Secret ? entry.Value ?? "" : ParsePlain(field.Item, (entry.Value ?? "").Trim(), $"{label} › {key}", errors);
                    }
                }

                return map.Count == 0 && field.Nullable ? (null, false) : (map, true);
            }

            default:
                if (string.IsNullOrWhiteSpace(text))
                {
                    return (null, false);
                }

                try
                {
                    return (JsonNode.Parse(text), true);
                }
                catch (JsonException ex)
                {
                    errors.Add($"'{label}': not valid JSON ({ex.Message}).");
                    return (null, false);
                }
        }
    }

    /// <summary>One plain value typed as text: a list line, a dictionary value, a number field.</summary>
    private static JsonNode? ParsePlain(OptionField field, string text, string label, List<string> errors)
    {
        switch (field.Kind)
        {
            case OptionKind.WholeNumber:
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
                {
                    return whole;
                }

                errors.Add($"'{label}': '{text}' is not a whole number.");
                return null;
            case OptionKind.Number:
                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return number;
                }

                errors.Add($"'{label}': '{text}' is not a number (use a dot for decimals).");
                return null;
            case OptionKind.Boolean:
                if (bool.TryParse(text, out var flag))
                {
                    return flag;
                }

                errors.Add($"'{label}': '{text}' is not true or false.");
                return null;
            case OptionKind.Choice when field.Choices.Count > 0 && !field.Choices.Contains(text, StringComparer.OrdinalIgnoreCase):
                errors.Add($"'{label}': '{text}' is not one of {string.Join(", ", field.Choices)}.");
                return null;
            default:
                return text;
        }
    }

    private static string? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static string Join(string label, string title) => label.Length == 0 ? title : $"{label} › {title}";
}
