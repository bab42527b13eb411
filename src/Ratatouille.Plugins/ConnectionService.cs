using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratatouille.Plugins.Storage;
using Ratatouille.Sdk;
using Ratatouille.Security;

namespace Ratatouille.Plugins;

/// <summary>A connection as the API shows it: secret options masked.</summary>
public sealed record ConnectionDetails(
    string Name,
    string Connector,
    string? Version,
    string? ResolvedVersion,
    JsonObject Config,
    IReadOnlyList<string> SecretPaths,
    DateTime CreatedAt,
    string CreatedBy,
    DateTime UpdatedAt,
    string UpdatedBy);

/// <summary>What creates or replaces a connection.</summary>
/// <param name="Version">Plugin version to pin, or null to follow the newest active version.</param>
/// <param name="Config">Options; a secret option given as the mask keeps its stored value, absent or null removes it.</param>
public sealed record ConnectionRequest(string Name, string Connector, string? Version, JsonObject? Config);

/// <summary>The outcome of testing a connection.</summary>
public sealed record ConnectionTestResult(bool Success, string Message, string PluginVersion, double ElapsedMs);

/// <summary>
/// Connections: a connector (pinned version or newest), configuration validated against its options
/// class, and secret options kept in the encrypted secret store (never in the configuration row, never
/// returned). Tests and discovery run the connector under <see cref="PluginInvoker"/>.
/// </summary>
public sealed partial class ConnectionService(
    IDbContextFactory<PluginsDbContext> dbFactory,
    PluginHost host,
    PluginContextFactory contexts,
    SecretStore secrets,
    RunningExtracts running,
    AuditLog audit,
    IOptions<PluginOptions> options,
    TimeProvider clock,
    ILogger<ConnectionService> logger)
{
    public async Task<IReadOnlyList<ConnectionDetails>> ListAsync(CancellationToken cancellationToken)
    {
        await host.WaitReadyAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Connections.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
        return rows.Select(ToInfo).ToList();
    }

    public async Task<ConnectionDetails> GetAsync(string name, CancellationToken cancellationToken)
    {
        await host.WaitReadyAsync(cancellationToken);
        return ToInfo(await FindAsync(name, cancellationToken));
    }

    public async Task<ConnectionDetails> CreateAsync(ConnectionRequest request, Actor actor, CancellationToken cancellationToken)
    {
        ValidateName(request.Name);
        await host.WaitReadyAsync(cancellationToken);
        using var lease = ResolveComponent(request.Connector, request.Version);
        var component = lease.Component;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Connections.AnyAsync(c => c.Name == request.Name, cancellationToken))
        {
            throw new PluginOperationException(PluginErrorKind.Conflict, $"A connection named '{request.Name}' exists already.");
        }

        var (config, secretValues) = Split(request.Config ?? [], component, existing: []);
        Validate(lease, config, secretValues);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new ConnectionRow
        {
            Name = request.Name,
            Connector = component.Id,
            Version = request.Version is null ? null : component.PluginVersion,
            ConfigJson = config.ToJsonString(),
            SecretPathsJson = JsonSerializer.Serialize(secretValues.Keys.Order(StringComparer.Ordinal)),
            CreatedAt = now,
            CreatedBy = actor.Name,
            UpdatedAt = now,
            UpdatedBy = actor.Name,
        };
        db.Connections.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await StoreSecretsAsync(row.Name, secretValues, [], actor, cancellationToken);
        await audit.WriteAsync(actor, "connection.create", row.Name, detail: $"{row.Connector} {row.Version ?? "(newest)"}", cancellationToken: CancellationToken.None);
        return ToInfo(row);
    }

    public async Task<ConnectionDetails> UpdateAsync(string name, ConnectionRequest request, Actor actor, CancellationToken cancellationToken)
    {
        await host.WaitReadyAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Connections.SingleOrDefaultAsync(c => c.Name == name, cancellationToken)
            ?? throw new PluginOperationException(PluginErrorKind.NotFound, $"Connection '{name}' does not exist.");
        if (!string.IsNullOrEmpty(request.Name) && !string.Equals(request.Name, row.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new PluginOperationException(PluginErrorKind.Invalid, "A connection cannot be renamed; create a new one.");
        }

        using var lease = ResolveComponent(string.IsNullOrEmpty(request.Connector) ? row.Connector : request.Connector, request.Version);
        var component = lease.Component;
        var existing = JsonSerializer.Deserialize<List<string>>(row.SecretPathsJson) ?? [];
        var (config, secretValues) = Split(request.Config ?? [], component, existing);
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, value) in secretValues)
        {
            merged[path] = value ?? await secrets.RevealAsync(SecretName(row.Name, path), cancellationToken);
        }

        Validate(lease, config, merged!);
        row.Connector = component.Id;
        row.Version = request.Version is null ? null : component.PluginVersion;
        row.ConfigJson = config.ToJsonString();
        row.SecretPathsJson = JsonSerializer.Serialize(secretValues.Keys.Order(StringComparer.Ordinal));
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        row.UpdatedBy = actor.Name;
        row.Revision++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new PluginOperationException(PluginErrorKind.Conflict, $"Connection '{name}' was changed at the same time; reload and try again.");
        }

        await StoreSecretsAsync(row.Name, secretValues.Where(s => s.Value is not null).ToDictionary(s => s.Key, s => (string?)s.Value), existing.Except(secretValues.Keys).ToList(), actor, cancellationToken);
        await audit.WriteAsync(actor, "connection.update", row.Name, detail: $"{row.Connector} {row.Version ?? "(newest)"}", cancellationToken: CancellationToken.None);
        return ToInfo(row);
    }

    public async Task DeleteAsync(string name, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Connections.SingleOrDefaultAsync(c => c.Name == name, cancellationToken)
            ?? throw new PluginOperationException(PluginErrorKind.NotFound, $"Connection '{name}' does not exist.");
        if (running.AnyFor(row.Id))
        {
            throw new PluginOperationException(PluginErrorKind.Conflict, $"An extract of '{name}' is running; cancel it or wait for it to end, then delete the connection.");
        }

        db.Connections.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
        await StoreSecretsAsync(row.Name, new Dictionary<string, string?>(), JsonSerializer.Deserialize<List<string>>(row.SecretPathsJson) ?? [], actor, cancellationToken);
        await audit.WriteAsync(actor, "connection.delete", row.Name, cancellationToken: CancellationToken.None);
    }

    /// <summary>Runs the connector's check with this connection's configuration.</summary>
    public async Task<ConnectionTestResult> TestAsync(string name, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        await using var session = await OpenAsync(name, "connection test", cancellationToken);
        try
        {
            var result = await PluginInvoker.InvokeAsync(session.Lease, "checking the connection", options.Value.OperationTimeout, logger,
                token => session.Connector.CheckAsync(session.Options, session.Context, token), cancellationToken);
            return new ConnectionTestResult(result.Success, result.Message, session.Lease.Component.PluginVersion, clock.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (PluginOperationException ex) when (ex.Kind is PluginErrorKind.Reported or PluginErrorKind.Faulted)
        {
            return new ConnectionTestResult(false, ex.Message, session.Lease.Component.PluginVersion, clock.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>The streams the connection offers.</summary>
    public async Task<(IReadOnlyList<StreamDescriptor> Streams, string PluginVersion)> DiscoverAsync(string name, CancellationToken cancellationToken)
    {
        await using var session = await OpenAsync(name, "discovery", cancellationToken);
        var streams = await session.DiscoverAsync(options.Value.OperationTimeout, logger, cancellationToken);
        return (streams, session.Lease.Component.PluginVersion);
    }

    /// <summary>
    /// Everything needed to call the connector for <paramref name="name"/>: a lease on the plugin, the bound
    /// options (secrets filled in) and a plugin context. Dispose it when the operation ends.
    /// </summary>
    public async Task<ConnectorSession> OpenAsync(string name, string operation, CancellationToken cancellationToken, RunLog? log = null)
    {
        await host.WaitReadyAsync(cancellationToken);
        var row = await FindAsync(name, cancellationToken);
        var lease = host.Acquire(PluginKind.Connector, row.Connector, row.Version);
        try
        {
            var config = JsonNode.Parse(row.ConfigJson)!.AsObject();
            foreach (var path in JsonSerializer.Deserialize<List<string>>(row.SecretPathsJson) ?? [])
            {
                string value;
                try
                {
                    value = await secrets.RevealAsync(SecretName(row.Name, path), cancellationToken);
                }
                catch (SecurityException ex) when (ex.Error == SecurityError.NotFound)
                {
                    throw new PluginOperationException(PluginErrorKind.Invalid, $"The stored value of '{path}' is missing; edit the connection and enter it again.");
                }

                SetPath(config, path, JsonValue.Create(value));
                log?.AddSecret(value);
            }

            object bound;
            try
            {
                bound = OptionsSchema.Bind(lease.OptionsType!, config);
            }
            catch (InvalidOptionsException ex)
            {
                throw new PluginOperationException(PluginErrorKind.Invalid,
                    $"The configuration of '{name}' no longer fits {lease.Component.Id} {lease.Component.PluginVersion}: {string.Join("; ", ex.Errors)}") { Errors = ex.Errors };
            }

            return new ConnectorSession(row.Id, row.Name, lease, (IConnector)lease.Instance, bound, contexts.Create(lease.Plugin.Id, $"{operation} of {row.Name}", log));
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    internal async Task<ConnectionRow> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Connections.AsNoTracking().SingleOrDefaultAsync(c => c.Name == name, cancellationToken)
            ?? throw new PluginOperationException(PluginErrorKind.NotFound, $"Connection '{name}' does not exist.");
    }

    private ComponentLease ResolveComponent(string connector, string? version)
    {
        if (string.IsNullOrWhiteSpace(connector))
        {
            throw new PluginOperationException(PluginErrorKind.Invalid, "Name the connector (see GET /api/v1/connectors).");
        }

        return host.Acquire(PluginKind.Connector, connector, version);
    }

    /// <summary>
    /// Takes the secret options out of <paramref name="input"/>: path → new value, or null to keep the
    /// stored one (the mask was sent back). Secrets left out are removed.
    /// </summary>
    private static (JsonObject Config, Dictionary<string, string?> Secrets) Split(JsonObject input, ComponentInfo component, IReadOnlyList<string> existing)
    {
        var config = input.DeepClone().AsObject();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var path in component.SecretPaths)
        {
            var node = GetPath(config, path);
            RemovePath(config, path);
            switch (node)
            {
                case null:
                    break;
                case JsonValue value when value.TryGetValue<string>(out var text) && text == SecretStore.Mask:
                    if (!existing.Contains(path))
                    {
                        throw new PluginOperationException(PluginErrorKind.Invalid, $"'{path}' has no stored value to keep; enter it.");
                    }

                    values[path] = null;
                    break;
                case JsonValue value when value.TryGetValue<string>(out var text):
                    if (text.Length > 0)
                    {
                        values[path] = text;
                    }

                    break;
                default:
                    throw new PluginOperationException(PluginErrorKind.Invalid, $"'{path}' must be a string.");
            }
        }

        return (config, values);
    }

    private static void Validate(ComponentLease lease, JsonObject config, IReadOnlyDictionary<string, string?> secretValues)
    {
        var merged = config.DeepClone().AsObject();
        foreach (var (path, value) in secretValues)
        {
            if (value is not null)
            {
                SetPath(merged, path, JsonValue.Create(value));
            }
        }

        try
        {
            OptionsSchema.Bind(lease.OptionsType!, merged);
        }
        catch (InvalidOptionsException ex)
        {
            throw new PluginOperationException(PluginErrorKind.Invalid, ex.Message) { Errors = ex.Errors };
        }
    }

    private async Task StoreSecretsAsync(string connection, IReadOnlyDictionary<string, string?> values, IReadOnlyList<string> removed, Actor actor, CancellationToken cancellationToken)
    {
        foreach (var (path, value) in values)
        {
            if (value is not null)
            {
                await secrets.SetAsync(SecretName(connection, path), value, actor, cancellationToken);
            }
        }

        foreach (var path in removed)
        {
            try
            {
                await secrets.DeleteAsync(SecretName(connection, path), actor, cancellationToken);
            }
            catch (SecurityException ex) when (ex.Error == SecurityError.NotFound)
            {
                // Already gone.
            }
        }
    }

    private ConnectionDetails ToInfo(ConnectionRow row)
    {
        var config = JsonNode.Parse(row.ConfigJson)!.AsObject();
        var secretPaths = JsonSerializer.Deserialize<List<string>>(row.SecretPathsJson) ?? [];
        foreach (var path in secretPaths)
        {
            SetPath(config, path, JsonValue.Create(SecretStore.Mask));
        }

        var resolved = host.ComponentVersions(PluginKind.Connector, row.Connector)
            .FirstOrDefault(c => row.Version is null || c.PluginVersion == row.Version)?.PluginVersion;
        return new ConnectionDetails(row.Name, row.Connector, row.Version, resolved, config, secretPaths,
            DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc), row.CreatedBy, DateTime.SpecifyKind(row.UpdatedAt, DateTimeKind.Utc), row.UpdatedBy);
    }

    internal static string SecretName(string connection, string path) => $"connection.{connection.ToLowerInvariant()}.{path}";

    private static JsonNode? GetPath(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node;
    }

    private static void RemovePath(JsonObject root, string path)
    {
        var parts = path.Split('.');
        JsonNode? node = root;
        foreach (var part in parts[..^1])
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var child) ? child : null;
        }

        (node as JsonObject)?.Remove(parts[^1]);
    }

    private static void SetPath(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = [];
                node[part] = child;
            }

            node = child;
        }

        node[parts[^1]] = value;
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            throw new PluginOperationException(PluginErrorKind.Invalid, $"Invalid connection name '{name}': use 1–64 lowercase letters, digits, '_' or '-', starting with a letter.");
        }

        if (name == "new")
        {
            throw new PluginOperationException(PluginErrorKind.Invalid, "'new' is reserved (the UI's page for creating a connection); choose another name.");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

/// <summary>A connector ready to call for one connection: dispose to release the plugin.</summary>
public sealed class ConnectorSession(long connectionId, string name, ComponentLease lease, IConnector connector, object options, IPluginContext context) : IAsyncDisposable
{
    public long ConnectionId { get; } = connectionId;

    public string Name { get; } = name;

    public ComponentLease Lease { get; } = lease;

    public IConnector Connector { get; } = connector;

    public object Options { get; } = options;

    public IPluginContext Context { get; } = context;

    public Task<IReadOnlyList<StreamDescriptor>> DiscoverAsync(TimeSpan timeout, ILogger logger, CancellationToken cancellationToken) =>
        PluginInvoker.InvokeAsync(Lease, "discovering streams", timeout, logger, token => Connector.DiscoverAsync(Options, Context, token), cancellationToken);

    public ValueTask DisposeAsync()
    {
        Lease.Dispose();
        return ValueTask.CompletedTask;
    }
}
