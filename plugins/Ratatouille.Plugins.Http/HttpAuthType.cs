namespace Ratatouille.Plugins.Http;

/// <summary>How requests authenticate.</summary>
public enum HttpAuthType
{
    /// <summary>No credentials.</summary>
    None,

    /// <summary><c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    Bearer,

    /// <summary><c>Authorization: Basic base64(username:password)</c>.</summary>
    Basic,

    /// <summary>A key in a header or a query parameter.</summary>
    ApiKey,
}
