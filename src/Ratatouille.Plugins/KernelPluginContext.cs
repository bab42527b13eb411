using Apache.Arrow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratatouille.Query;
using Ratatouille.Sdk;
using Ratatouille.Security;

namespace Ratatouille.Plugins;

/// <summary>Creates the <see cref="IPluginContext"/> a plugin gets for one operation.</summary>
public sealed class PluginContextFactory(
    SecretStore secretStore,
    QueryEngine queryEngine,
    FileSource fileSource,
    IHttpClientFactory httpClientFactory,
    ILoggerFactory loggerFactory,
    IOptions<PluginOptions> pluginOptions)
{
    private readonly SecretStore secrets = secretStore;
    private readonly QueryEngine query = queryEngine;
    private readonly FileSource files = fileSource;
    private readonly IHttpClientFactory httpClients = httpClientFactory;
    private readonly ILoggerFactory loggers = loggerFactory;
    private readonly IOptions<PluginOptions> options = pluginOptions;

    /// <summary>The named HTTP client plugins get; its handler enforces the <see cref="NetworkPolicy"/>.</summary>
    public const string HttpClientName = "plugins";

    /// <summary>A context for one operation; with <paramref name="log"/>, what the plugin logs is also kept in that run log.</summary>
    public IPluginContext Create(string pluginId, string operation, RunLog? log = null) => new Context(this, pluginId, operation, log);

    private sealed class Context(PluginContextFactory factory, string pluginId, string operation, RunLog? log) : IPluginContext, IQueryContext, IFileContext
    {
        private readonly ILogger _logger = log is null ? factory.loggers.CreateLogger($"Plugin.{pluginId}") : log.Capture(factory.loggers.CreateLogger($"Plugin.{pluginId}"));

        public string PluginId { get; } = pluginId;

        public ILogger Logger => _logger;

        public IReadOnlyDictionary<string, string> Settings { get; } =
            factory.options.Value.Settings.TryGetValue(pluginId, out var settings) ? new Dictionary<string, string>(settings, StringComparer.Ordinal) : new Dictionary<string, string>();

        public IQueryContext Query => this;

        public IFileContext Files => this;

        public IReadOnlyList<string> ImportRoots => factory.files.ImportRoots;

        public async ValueTask<string> GetSecretAsync(string name, CancellationToken cancellationToken)
        {
            try
            {
                return await factory.secrets.RevealAsync(name, cancellationToken);
            }
            catch (SecurityException ex) when (ex.Error == SecurityError.NotFound)
            {
                throw new PluginException($"Secret '{name}' does not exist.");
            }
        }

        public HttpClient CreateHttpClient() => factory.httpClients.CreateClient(HttpClientName);

        public async Task<Schema> DescribeAsync(string sql, CancellationToken cancellationToken)
        {
            // LIMIT 0 through the same guarded path: a schema without reading data.
            await foreach (var batch in StreamAsync($"SELECT * FROM ({sql}) AS q LIMIT 0", cancellationToken))
            {
                using (batch)
                {
                    return batch.Schema;
                }
            }

            throw new PluginException("The query has no result columns.");
        }

        public IAsyncEnumerable<RecordBatch> QueryAsync(string sql, CancellationToken cancellationToken) => StreamAsync(sql, cancellationToken);

        public IAsyncEnumerable<FileEntry> ListAsync(FileLocation location, string pattern, CancellationToken cancellationToken)
        {
            _logger.LogDebug("{Operation}: listing {Location} {Pattern}", operation, location, pattern);
            return factory.files.ListAsync(location, pattern, cancellationToken);
        }

        public Task<Schema> DescribeAsync(FileReadRequest request, CancellationToken cancellationToken) => factory.files.DescribeAsync(request, cancellationToken);

        public IAsyncEnumerable<RecordBatch> ReadAsync(FileReadRequest request, CancellationToken cancellationToken) => factory.files.ReadAsync(request, cancellationToken);

        private async IAsyncEnumerable<RecordBatch> StreamAsync(string sql, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var enumerator = factory.query.StreamBatchesAsync(sql, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    try
                    {
                        if (!await enumerator.MoveNextAsync())
                        {
                            yield break;
                        }
                    }
                    catch (QueryException ex)
                    {
                        throw new PluginException(ex.Message);
                    }

                    yield return enumerator.Current;
                }
            }
            finally
            {
                await enumerator.DisposeAsync();
            }
        }
    }
}
