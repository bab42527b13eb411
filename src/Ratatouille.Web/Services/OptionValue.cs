namespace Ratatouille.Web.Services;

/// <summary>
/// What the form holds for one option while it is being edited: text as typed (numbers are parsed only on
/// save, so a half-typed value is not lost), a switch, nested fields, repeated groups or key/value rows.
/// </summary>
public sealed class OptionValue
{
    /// <summary>
    /// Text, secret, number and choice options; the lines of a list; JSON text; "true"/"false"/null for a
    /// boolean that may be unset.
    /// </summary>
    public string? Text { get; set; }

    /// <summary>A boolean option that cannot be unset.</summary>
    public bool Flag { get; set; }

    /// <summary>Whether a nested group that may be null is filled in.</summary>
    public bool Present { get; set; } = true;

    /// <summary>The connection has a stored value for this secret (the field shows the mask).</summary>
    public bool SecretStored { get; set; }

    /// <summary>The user asked to remove the stored secret.</summary>
    public bool SecretRemoved { get; set; }

    /// <summary>The fields of a group, by JSON name.</summary>
    public Dictionary<string, OptionValue> Fields { get; } = new(StringComparer.Ordinal);

    /// <summary>The groups of a list of objects.</summary>
    public List<OptionValue> Items { get; } = [];

    /// <summary>The rows of a dictionary.</summary>
    public List<OptionEntry> Entries { get; } = [];

    /// <summary>The value of a group's field (created empty if the group did not have it yet).</summary>
    public OptionValue Child(OptionField field)
    {
        if (!Fields.TryGetValue(field.Name, out var child))
        {
            child = new OptionValue();
            Fields[field.Name] = child;
        }

        return child;
    }
}
