namespace Ratatouille.Sdk;

/// <summary>
/// A page in the web app. Either a Blazor component (a type deriving from
/// <c>Microsoft.AspNetCore.Components.ComponentBase</c>, rendered inside the app's layout) or a folder of
/// static web assets with an <c>index.html</c> (served under <c>/apps/&lt;id&gt;/</c>). Data comes through
/// <see cref="IPluginContext.Query"/> or the REST API with the viewer's session. Mark the class with <see cref="DataAppAttribute"/>.
/// </summary>
public interface IDataApp
{
    /// <summary>The Blazor component that renders the app, or null for a static app.</summary>
    Type? Component { get; }

    /// <summary>A folder (relative to the plugin's folder) of static files with an <c>index.html</c>, or null.</summary>
    string? StaticAssetsFolder { get; }
}
