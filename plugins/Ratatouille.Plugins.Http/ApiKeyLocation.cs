namespace Ratatouille.Plugins.Http;

/// <summary>Where an API key is sent.</summary>
public enum ApiKeyLocation
{
    /// <summary>In a request header.</summary>
    Header,

    /// <summary>In a query parameter.</summary>
    Query,
}
