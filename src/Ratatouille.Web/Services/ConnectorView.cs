using System.Text.Json.Nodes;
using Ratatouille.Plugins;

namespace Ratatouille.Web.Services;

/// <summary>
/// A connector type as the pages keep it: plain values and a copy of the options schema (the host's
/// <see cref="ComponentInfo.OptionsSchema"/> is shared by every circuit and must never be changed by one).
/// </summary>
public sealed record ConnectorView(
    string Id, string DisplayName, string? Description, string? Category, string? Icon, string PluginId, string PluginVersion, JsonObject? Schema)
{
    public static ConnectorView From(ComponentInfo component) => new(
        component.Id, component.DisplayName, component.Description, component.Category, component.Icon, component.PluginId, component.PluginVersion,
        component.OptionsSchema?.DeepClone().AsObject());
}
