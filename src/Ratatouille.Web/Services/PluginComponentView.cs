namespace Ratatouille.Web.Services;

/// <summary>A component a plugin version provides.</summary>
public sealed record PluginComponentView(string Kind, string Id, string DisplayName);
