namespace Ratatouille.Web.Services;

/// <summary>One key/value row of a dictionary option.</summary>
public sealed class OptionEntry
{
    public string? Key { get; set; }

    public string? Value { get; set; }
}
