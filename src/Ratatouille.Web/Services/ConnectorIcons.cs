using Microsoft.FluentUI.AspNetCore.Components;
using Icons = Microsoft.FluentUI.AspNetCore.Components.Icons;

namespace Ratatouille.Web.Services;

/// <summary>
/// The icon a connector names (<c>[Connector(Icon = "Database")]</c>): the common Fluent names are mapped,
/// anything else gets a plug, so a plugin cannot make the page load arbitrary types by name.
/// </summary>
public static class ConnectorIcons
{
    public static Icon For(string? name) => name?.ToLowerInvariant() switch
    {
        "database" => new Icons.Regular.Size24.Database(),
        "document" => new Icons.Regular.Size24.Document(),
        "globe" => new Icons.Regular.Size24.Globe(),
        "folder" => new Icons.Regular.Size24.Folder(),
        "cloud" => new Icons.Regular.Size24.Cloud(),
        "table" => new Icons.Regular.Size24.Table(),
        "code" => new Icons.Regular.Size24.Code(),
        "mail" => new Icons.Regular.Size24.Mail(),
        _ => new Icons.Regular.Size24.PlugConnected(),
    };
}
