using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ratatouille.Sdk.Testing;

/// <summary>
/// A plugin context for tests: secrets and settings from dictionaries, log entries collected in
/// <see cref="Logs"/>, HTTP through an optional handler, and query/file access only when you supply them.
/// </summary>
public sealed class TestPluginContext : IPluginContext
{
    private readonly TestLogger _logger;

    /// <summary>Creates a context for the plugin <paramref name="pluginId"/>.</summary>
    public TestPluginContext(string pluginId = "test-plugin")
    {
        PluginId = pluginId;
        _logger = new TestLogger(Logs);
    }

    /// <inheritdoc />
    public string PluginId { get; }

    /// <inheritdoc />
    public ILogger Logger => _logger;

    /// <summary>Log lines written through <see cref="Logger"/>, as "Level: message".</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>Secrets <see cref="GetSecretAsync"/> returns.</summary>
    public Dictionary<string, string> Secrets { get; } = new(StringComparer.Ordinal);

    /// <summary>Administrator settings for the plugin.</summary>
    public Dictionary<string, string> PluginSettings { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Settings => PluginSettings;

    /// <summary>The query context; accessing it fails unless a test sets one.</summary>
    public IQueryContext? QueryContext { get; set; }

    /// <summary>The file context; accessing it fails unless a test sets one.</summary>
    public IFileContext? FileContext { get; set; }

    /// <summary>The handler <see cref="CreateHttpClient"/> sends through (e.g. a stub); the real network when null.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <inheritdoc />
    public IQueryContext Query => QueryContext ?? throw new InvalidOperationException("This test gave the plugin no query context (set TestPluginContext.QueryContext).");

    /// <inheritdoc />
    public IFileContext Files => FileContext ?? throw new InvalidOperationException("This test gave the plugin no file context (set TestPluginContext.FileContext).");

    /// <inheritdoc />
    public ValueTask<string> GetSecretAsync(string name, CancellationToken cancellationToken) =>
        Secrets.TryGetValue(name, out var value)
            ? ValueTask.FromResult(value)
            : ValueTask.FromException<string>(new PluginException($"Secret '{name}' does not exist."));

    /// <inheritdoc />
    public HttpClient CreateHttpClient() => HttpHandler is null ? new HttpClient() : new HttpClient(HttpHandler, disposeHandler: false);

    private sealed class TestLogger(ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " — " + exception.Message)}");
    }
}
