using Microsoft.Extensions.Logging;

namespace Ratatouille.Sdk;

/// <summary>
/// Everything a plugin may use from the platform. The host creates one per operation (a check,
/// a discovery, a read); do not keep it beyond the call it was passed to.
/// </summary>
public interface IPluginContext
{
    /// <summary>The id of the plugin the component belongs to.</summary>
    string PluginId { get; }

    /// <summary>A logger whose entries the platform attributes to this plugin and operation.</summary>
    ILogger Logger { get; }

    /// <summary>
    /// Settings an administrator gave this plugin in the server configuration
    /// (<c>Plugins:Settings:&lt;plugin id&gt;:&lt;key&gt;</c>). Users cannot change them.
    /// </summary>
    IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Read-only SQL over the catalog's datasets, run in the platform's sandbox.</summary>
    IQueryContext Query { get; }

    /// <summary>Reading files inside the folders an administrator opened for import, and the landing area.</summary>
    IFileContext Files { get; }

    /// <summary>
    /// The value of a secret from the platform's encrypted secret store, by name. Option properties marked
    /// <see cref="SecretAttribute"/> are already filled in; use this for secrets named in configuration.
    /// </summary>
    /// <exception cref="PluginException">The secret does not exist.</exception>
    ValueTask<string> GetSecretAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// An <see cref="HttpClient"/> from the platform's pooled handlers (do not dispose the handler yourself;
    /// disposing the client is fine). The platform applies its proxy settings; timeouts and retries are yours.
    /// </summary>
    HttpClient CreateHttpClient();
}
