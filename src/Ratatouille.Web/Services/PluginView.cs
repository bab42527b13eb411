using Ratatouille.Plugins;

namespace Ratatouille.Web.Services;

/// <summary>A plugin version as the plugins page shows it: plain values, statuses and kinds spelled as the API spells them.</summary>
public sealed record PluginView(
    string Id,
    string Version,
    IReadOnlyList<string> Kinds,
    PluginStatus Status,
    string? Reason,
    PluginSource Source,
    string DisplayName,
    string? Description,
    string? SdkRange,
    IReadOnlyList<PluginComponentView> Components)
{
    /// <summary>The status as the API spells it: active, superseded, disabled, incompatible, faulted.</summary>
    public string StatusName => Status.ToString().ToLowerInvariant();

    /// <summary>An id safe inside an HTML id: <c>files-1.0.0</c> → <c>files-1-0-0</c>.</summary>
    public string Key => $"{Id}-{Version}".Replace('.', '-').Replace('+', '-');

    public static PluginView From(PluginInfo plugin) => new(
        plugin.Id, plugin.Version, plugin.Kinds.Select(KindName).ToList(), plugin.Status, plugin.Reason, plugin.Source, plugin.DisplayName,
        plugin.Description, plugin.SdkRange, plugin.Components.Select(c => new PluginComponentView(KindName(c.Kind), c.Id, c.DisplayName)).ToList());

    private static string KindName(Ratatouille.Sdk.PluginKind kind) => kind.ToString().ToLowerInvariant();
}
