namespace Ratatouille.Web.Services;

/// <summary>How one option of a plugin's JSON options schema is edited.</summary>
public enum OptionKind
{
    /// <summary>A string: a text field.</summary>
    Text,

    /// <summary>A string marked <c>"x-secret"</c>: a password field; the stored value is never shown.</summary>
    Secret,

    /// <summary>A whole number.</summary>
    WholeNumber,

    /// <summary>A number.</summary>
    Number,

    /// <summary>true/false, or true/false/unset when nullable.</summary>
    Boolean,

    /// <summary>One value of an enum.</summary>
    Choice,

    /// <summary>A nested options object: a titled group of its own fields.</summary>
    Group,

    /// <summary>A list of plain values: one per line.</summary>
    List,

    /// <summary>A list of options objects: repeatable groups.</summary>
    GroupList,

    /// <summary>A string-keyed dictionary of plain values: key/value rows.</summary>
    Map,

    /// <summary>Anything else (lists of lists, dictionaries of objects): edited as JSON text.</summary>
    Json,
}
