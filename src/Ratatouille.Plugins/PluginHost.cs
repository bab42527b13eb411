using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NuGet.Versioning;
using Ratatouille.Plugins.Storage;
using Ratatouille.Sdk;
using Ratatouille.Storage;

namespace Ratatouille.Plugins;

/// <summary>
/// Finds plugins (<c>&lt;folder&gt;/&lt;id&gt;/&lt;version&gt;/ratatouille-plugin.json</c>) in the built-in folder and
/// in <c>&lt;data&gt;/plugins</c>, checks each before activating it, and loads it into its own collectible
/// load context that shares only the SDK, Apache Arrow and the logging abstractions with the kernel.
/// Plugins are enabled, disabled (unloaded) and picked up without a restart; several versions of one
/// plugin can be loaded at once, the newest active one being offered and older ones serving pins.
/// </summary>
public sealed class PluginHost : IDisposable
{
    /// <summary>Types whose assemblies every plugin shares with the kernel.</summary>
    private static readonly Type[] SharedTypes = [typeof(IConnector), typeof(Apache.Arrow.RecordBatch), typeof(ILogger)];

    private static readonly TimeSpan ConstructorTimeout = TimeSpan.FromSeconds(10);

    private readonly PluginOptions _options;
    private readonly DataDirectory _dataDirectory;
    private readonly IDbContextFactory<PluginsDbContext> _dbFactory;
    private readonly ILogger<PluginHost> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _entriesLock = new();
    private readonly Dictionary<(string Id, NuGetVersion Version), Entry> _entries = [];

    public PluginHost(IOptions<PluginOptions> options, DataDirectory dataDirectory, IDbContextFactory<PluginsDbContext> dbFactory, ILogger<PluginHost> logger)
    {
        _options = options.Value;
        _dataDirectory = dataDirectory;
        _dbFactory = dbFactory;
        _logger = logger;
    }

    /// <summary>The folder of the plugins that ship with the server.</summary>
    public string BuiltInFolder => _options.BuiltInFolder is { Length: > 0 } folder ? Path.GetFullPath(folder) : Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>The folder installed plugins live in.</summary>
    public string InstalledFolder => Path.Combine(_dataDirectory.Root, "plugins");

    /// <summary>Raised after plugins were loaded, unloaded, enabled or disabled.</summary>
    public event Action? Changed;

    private readonly TaskCompletionSource _firstScan = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;

    private Task _initialized => _firstScan.Task;

    /// <summary>Finds and loads every plugin. Call once at start.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        StartInitialization(cancellationToken);
        return _initialized;
    }

    /// <summary>
    /// Starts finding and loading every plugin in the background (once); callers that must see every
    /// plugin await <see cref="WaitReadyAsync"/>.
    /// </summary>
    public void StartInitialization(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await RescanAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "Scanning the plugin folders failed");
            }
            finally
            {
                _firstScan.TrySetResult();
            }
        }, CancellationToken.None);
    }

    /// <summary>
    /// Completes when the first scan has loaded the plugins. Entry points that read plugins (endpoints,
    /// connection operations, pages) await it, so they never see a half-loaded list just after start.
    /// </summary>
    public Task WaitReadyAsync(CancellationToken cancellationToken) => _initialized.WaitAsync(cancellationToken);


    /// <summary>
    /// Picks up plugin folders added since the last scan and forgets those removed, without touching
    /// plugins already loaded.
    /// </summary>
    public async Task RescanAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var disabled = await DisabledAsync(cancellationToken);
            var found = Discover().ToList();
            foreach (var (folder, source) in found)
            {
                var (id, version) = FolderIdentity(folder);
                if (version is null || Find(id, version) is not null)
                {
                    continue;
                }

                var entry = new Entry(id, version, folder, source);
                Add(entry);
                if (disabled.Contains((id, version.ToNormalizedString())))
                {
                    entry.ReadManifestQuietly();
                    entry.SetStatus(PluginStatus.Disabled, "Disabled by an administrator.");
                }
                else
                {
                    await LoadAsync(entry);
                }
            }

            var present = found.Select(f => Path.GetFullPath(f.Folder)).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in Snapshot().Where(e => !present.Contains(Path.GetFullPath(e.Folder))))
            {
                Unload(gone, "its folder was removed");
                lock (_entriesLock)
                {
                    _entries.Remove((gone.Id, gone.Version));
                }
            }

            RecomputeSuperseded();
        }
        finally
        {
            _gate.Release();
        }

        Changed?.Invoke();
    }

    /// <summary>Every plugin version known, newest first within an id.</summary>
    public IReadOnlyList<PluginInfo> List() =>
        Snapshot().OrderBy(e => e.Id, StringComparer.Ordinal).ThenByDescending(e => e.Version).Select(e => e.ToInfo()).ToList();

    /// <summary>One plugin version.</summary>
    public PluginInfo? Get(string id, string version)
    {
        return NuGetVersion.TryParse(version, out var v) ? Find(id, v)?.ToInfo() : null;
    }

    /// <summary>The components of one kind offered for new work: from each plugin's newest active version.</summary>
    public IReadOnlyList<ComponentInfo> Components(PluginKind kind) =>
        Snapshot().Where(e => e.Status == PluginStatus.Active).SelectMany(e => e.Components).Where(c => c.Kind == kind)
            .OrderBy(c => c.Id, StringComparer.Ordinal).ToList();

    /// <summary>Every loaded version of a component (active and superseded), newest first.</summary>
    public IReadOnlyList<ComponentInfo> ComponentVersions(PluginKind kind, string componentId) =>
        Snapshot().Where(e => e.Status is PluginStatus.Active or PluginStatus.Superseded).SelectMany(e => e.Components)
            .Where(c => c.Kind == kind && c.Id == componentId).OrderByDescending(c => NuGetVersion.Parse(c.PluginVersion)).ToList();

    /// <summary>
    /// Borrows a component for one operation: the pinned <paramref name="version"/> of its plugin, or the
    /// newest active one. The plugin is not unloaded while a lease is open.
    /// </summary>
    /// <exception cref="PluginOperationException">No such component, or its plugin is not loaded.</exception>
    public ComponentLease Acquire(PluginKind kind, string componentId, string? version)
    {
        lock (_entriesLock)
        {
            var candidates = _entries.Values.Where(e => e.Components.Any(c => c.Kind == kind && c.Id == componentId)).ToList();
            Entry? entry;
            if (version is not null)
            {
                if (!NuGetVersion.TryParse(version, out var pinned))
                {
                    throw new PluginOperationException(PluginErrorKind.Invalid, $"'{version}' is not a version.");
                }

                entry = candidates.FirstOrDefault(e => e.Version == pinned);
                if (entry is null)
                {
                    var other = _entries.Values.FirstOrDefault(e => e.Version == pinned && e.Manifest?.Kinds.Contains(kind) == true && e.Components.Count == 0 && e.Id == PluginOf(componentId));
                    throw new PluginOperationException(PluginErrorKind.Unavailable, other is not null
                        ? $"{Kind(kind)} '{componentId}' {version} is not available: plugin '{other.Id}' {other.Version} is {other.Status.ToString().ToLowerInvariant()} ({other.Reason})."
                        : $"{Kind(kind)} '{componentId}' version {version} is not installed.");
                }
            }
            else
            {
                entry = candidates.Where(e => e.Status == PluginStatus.Active).MaxBy(e => e.Version);
            }

            if (entry is null || entry.Status is not (PluginStatus.Active or PluginStatus.Superseded))
            {
                throw new PluginOperationException(PluginErrorKind.NotFound, $"No active {Kind(kind)} '{componentId}' is installed.");
            }

            var component = entry.Components.First(c => c.Kind == kind && c.Id == componentId);
            entry.Leases++;
            return new ComponentLease(component, entry.Manifest!, entry.Instance(component), () => Return(entry));
        }
    }

    /// <summary>Turns a plugin version on (loads it) and remembers the choice.</summary>
    public Task<PluginInfo> EnableAsync(string id, string version, string by, CancellationToken cancellationToken) =>
        SetEnabledAsync(id, version, enabled: true, by, cancellationToken);

    /// <summary>Turns a plugin version off (unloads it once running operations end) and remembers the choice.</summary>
    public Task<PluginInfo> DisableAsync(string id, string version, string by, CancellationToken cancellationToken) =>
        SetEnabledAsync(id, version, enabled: false, by, cancellationToken);

    /// <summary>Unloads and deletes an installed plugin version (built-ins can only be disabled).</summary>
    public async Task RemoveAsync(string id, string version, CancellationToken cancellationToken)
    {
        await WaitReadyAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var entry = Require(id, version);
            if (entry.Source == PluginSource.BuiltIn)
            {
                throw new PluginOperationException(PluginErrorKind.Conflict, $"'{id}' {version} ships with the server and cannot be removed; disable it instead.");
            }

            Unload(entry, "it was removed");
            lock (_entriesLock)
            {
                _entries.Remove((entry.Id, entry.Version));
            }

            Directory.Delete(entry.Folder, recursive: true);
            await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken))
            {
                // A later install of the same version starts from a clean slate, not "disabled".
                var key = entry.Version.ToNormalizedString();
                await db.PluginStates.Where(s => s.PluginId == entry.Id && s.Version == key).ExecuteDeleteAsync(cancellationToken);
            }

            var parent = Path.GetDirectoryName(entry.Folder)!;
            if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
            {
                Directory.Delete(parent);
            }

            RecomputeSuperseded();
        }
        finally
        {
            _gate.Release();
        }

        Changed?.Invoke();
    }

    /// <summary>
    /// A weak reference to the load context of a loaded plugin version, to verify in tests that a
    /// disable or removal really lets the collector free it.
    /// </summary>
    public WeakReference? LoadContextOf(string id, string version)
    {
        return NuGetVersion.TryParse(version, out var v) && Find(id, v)?.Loader?.LoadContext is { } context ? new WeakReference(context) : null;
    }

    public void Dispose()
    {
        foreach (var entry in Snapshot())
        {
            entry.Unload();
        }

        _gate.Dispose();
    }

    private async Task<PluginInfo> SetEnabledAsync(string id, string version, bool enabled, string by, CancellationToken cancellationToken)
    {
        await WaitReadyAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var entry = Require(id, version);
            await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var key = entry.Version.ToNormalizedString();
                var row = await db.PluginStates.SingleOrDefaultAsync(s => s.PluginId == entry.Id && s.Version == key, cancellationToken);
                if (row is null)
                {
                    row = new PluginStateRow { PluginId = entry.Id, Version = key };
                    db.PluginStates.Add(row);
                }

                row.Enabled = enabled;
                row.UpdatedAt = DateTime.UtcNow;
                row.UpdatedBy = by;
                await db.SaveChangesAsync(cancellationToken);
            }

            if (enabled && entry.Status is PluginStatus.Disabled or PluginStatus.Faulted or PluginStatus.Incompatible)
            {
                // Enabling also retries a plugin that failed to load (e.g. after its files were fixed).
                entry.Unload();
                await LoadAsync(entry);
            }
            else if (!enabled && entry.Status != PluginStatus.Disabled)
            {
                Unload(entry, "disabled");
                entry.SetStatus(PluginStatus.Disabled, $"Disabled by {by}.");
            }

            RecomputeSuperseded();
            return entry.ToInfo();
        }
        finally
        {
            _gate.Release();
            Changed?.Invoke();
        }
    }

    private async Task LoadAsync(Entry entry)
    {
        try
        {
            await entry.LoadAsync(SharedTypes, ConstructorTimeout);
            ClaimComponentIds(entry);
            entry.SetStatus(PluginStatus.Active, null);
            _logger.LogInformation("Loaded plugin {Id} {Version} ({Source}): {Components}", entry.Id, entry.Version, entry.Source,
                string.Join(", ", entry.Components.Select(c => $"{c.Kind} {c.Id}")));
        }
        catch (PluginLoadException ex)
        {
            entry.Unload();
            entry.SetStatus(ex.Data["status"] as PluginStatus? ?? PluginStatus.Faulted, ex.Message);
            _logger.LogWarning("Plugin {Id} {Version} not activated ({Status}): {Reason}", entry.Id, entry.Version, entry.Status, ex.Message);
        }
    }

    /// <summary>A component id belongs to one plugin id: another plugin offering the same id is refused.</summary>
    private void ClaimComponentIds(Entry entry)
    {
        foreach (var component in entry.Components)
        {
            var owner = Snapshot().FirstOrDefault(e => e.Id != entry.Id && e.Components.Any(c => c.Kind == component.Kind && c.Id == component.Id));
            if (owner is not null)
            {
                throw Incompatible($"{Kind(component.Kind)} id '{component.Id}' is already provided by plugin '{owner.Id}'.");
            }
        }
    }

    private void Unload(Entry entry, string why)
    {
        if (entry.Loader is null)
        {
            return;
        }

        lock (_entriesLock)
        {
            if (entry.Leases > 0)
            {
                // Running operations finish with the code they started with; the context goes when the last lease ends.
                entry.DetachForUnload();
                _logger.LogInformation("Plugin {Id} {Version} will unload when {Count} running operation(s) end ({Why})", entry.Id, entry.Version, entry.Leases, why);
                return;
            }
        }

        entry.Unload();
        _logger.LogInformation("Unloaded plugin {Id} {Version} ({Why})", entry.Id, entry.Version, why);
    }

    private void Return(Entry entry)
    {
        bool unload;
        lock (_entriesLock)
        {
            entry.Leases--;
            unload = entry.Leases == 0 && entry.PendingUnload is not null;
        }

        if (unload)
        {
            entry.CompletePendingUnload();
            _logger.LogInformation("Unloaded plugin {Id} {Version} after its last operation ended", entry.Id, entry.Version);
        }
    }

    private void RecomputeSuperseded()
    {
        lock (_entriesLock)
        {
            foreach (var group in _entries.Values.Where(e => e.Status is PluginStatus.Active or PluginStatus.Superseded).GroupBy(e => e.Id))
            {
                var newest = group.Max(e => e.Version);
                foreach (var entry in group)
                {
                    entry.SetStatus(entry.Version == newest ? PluginStatus.Active : PluginStatus.Superseded,
                        entry.Version == newest ? null : $"Version {newest} is active; this version serves what is pinned to it.");
                }
            }
        }
    }

    private IEnumerable<(string Folder, PluginSource Source)> Discover()
    {
        foreach (var (root, source) in new[] { (BuiltInFolder, PluginSource.BuiltIn), (InstalledFolder, PluginSource.Installed) })
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var idFolder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                foreach (var versionFolder in Directory.EnumerateDirectories(idFolder).Order(StringComparer.Ordinal))
                {
                    if (File.Exists(Path.Combine(versionFolder, SdkInfo.ManifestFileName)))
                    {
                        yield return (versionFolder, source);
                    }
                }
            }
        }
    }

    private async Task<HashSet<(string, string)>> DisabledAsync(CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        return (await db.PluginStates.AsNoTracking().Where(s => !s.Enabled).Select(s => new { s.PluginId, s.Version }).ToListAsync(cancellationToken))
            .Select(s => (s.PluginId, s.Version)).ToHashSet();
    }

    private static (string Id, NuGetVersion? Version) FolderIdentity(string folder) =>
        (Path.GetFileName(Path.GetDirectoryName(folder))!, NuGetVersion.TryParse(Path.GetFileName(folder), out var v) ? v : null);

    private Entry Require(string id, string version) =>
        (NuGetVersion.TryParse(version, out var v) ? Find(id, v) : null)
            ?? throw new PluginOperationException(PluginErrorKind.NotFound, $"Plugin '{id}' version {version} is not installed.");

    private Entry? Find(string id, NuGetVersion version)
    {
        lock (_entriesLock)
        {
            return _entries.GetValueOrDefault((id, version));
        }
    }

    private void Add(Entry entry)
    {
        lock (_entriesLock)
        {
            _entries[(entry.Id, entry.Version)] = entry;
        }
    }

    private List<Entry> Snapshot()
    {
        lock (_entriesLock)
        {
            return [.. _entries.Values];
        }
    }

    private string PluginOf(string componentId) =>
        Snapshot().FirstOrDefault(e => e.Components.Any(c => c.Id == componentId))?.Id ?? componentId;

    internal static string Kind(PluginKind kind) => kind switch
    {
        PluginKind.Connector => "connector",
        PluginKind.Transform => "transform",
        PluginKind.QualityCheck => "quality check",
        _ => "data app",
    };

    internal static PluginLoadException Incompatible(string message)
    {
        var ex = new PluginLoadException(message);
        ex.Data["status"] = PluginStatus.Incompatible;
        return ex;
    }

    /// <summary>One plugin version: its manifest, load context, components and state.</summary>
    private sealed class Entry(string id, NuGetVersion version, string folder, PluginSource source)
    {
        private readonly Dictionary<(PluginKind, string), object> _instances = [];

        public string Id { get; } = id;

        public NuGetVersion Version { get; } = version;

        public string Folder { get; } = folder;

        public PluginSource Source { get; } = source;

        public PluginManifest? Manifest { get; private set; }

        public PluginStatus Status { get; private set; } = PluginStatus.Faulted;

        public string? Reason { get; private set; }

        public PluginLoader? Loader { get; private set; }

        public PluginLoader? PendingUnload { get; private set; }

        public List<ComponentInfo> Components { get; private set; } = [];

        public int Leases { get; set; }

        public void SetStatus(PluginStatus status, string? reason)
        {
            Status = status;
            Reason = reason;
        }

        public object Instance(ComponentInfo component) => _instances[(component.Kind, component.Id)];

        public void ReadManifestQuietly()
        {
            try
            {
                Manifest = PluginManifest.Read(Folder);
            }
            catch (PluginLoadException)
            {
                Manifest = null;
            }
        }

        public async Task LoadAsync(Type[] sharedTypes, TimeSpan constructorTimeout)
        {
            Manifest = PluginManifest.Read(Folder);
            if (Manifest.Id != Id || Manifest.Version != Version)
            {
                throw Incompatible($"The manifest says '{Manifest.Id}' {Manifest.Version} but the plugin is in the folder {Id}/{Version}.");
            }

            var sdk = NuGetVersion.Parse(SdkInfo.Version);
            if (!Manifest.SdkRange.Satisfies(sdk))
            {
                throw Incompatible($"Built for SDK {Manifest.SdkRange.ToNormalizedString()}; this server has SDK {SdkInfo.Version}.");
            }

            var assemblyPath = Path.Combine(Folder, Manifest.Assembly);
            if (!File.Exists(assemblyPath))
            {
                throw new PluginLoadException($"The assembly {Manifest.Assembly} named in the manifest is missing.");
            }

            Loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, isUnloadable: true, sharedTypes, config => config.LoadInMemory = true);
            Type[] types;
            try
            {
                types = Loader.LoadDefaultAssembly().GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                var reasons = ex.LoaderExceptions.Where(e => e is not null).Select(e => e!.Message).Distinct().Take(3);
                throw new PluginLoadException($"Its types failed to load: {string.Join("; ", reasons)}");
            }
            catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                throw new PluginLoadException($"Its assembly failed to load: {ex.Message}");
            }

            var components = new List<ComponentInfo>();
            foreach (var type in types)
            {
                ComponentAttribute? attribute;
                try
                {
                    attribute = type.GetCustomAttribute<ComponentAttribute>(inherit: false);
                }
                catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException or FileLoadException)
                {
                    throw new PluginLoadException($"The attributes of {type.FullName} failed to load: {ex.Message}");
                }

                if (attribute is null)
                {
                    continue;
                }

                components.Add(await DescribeAsync(type, attribute, constructorTimeout));
            }

            var found = components.Select(c => c.Kind).Distinct().ToHashSet();
            var missing = Manifest.Kinds.Where(k => !found.Contains(k)).ToList();
            if (missing.Count > 0)
            {
                throw Incompatible($"The manifest declares {string.Join(", ", missing.Select(PluginHost.Kind))} but the assembly has no such component (a public class with the matching attribute).");
            }

            var extra = found.Where(k => !Manifest.Kinds.Contains(k)).ToList();
            if (extra.Count > 0)
            {
                throw Incompatible($"The assembly has {string.Join(", ", extra.Select(PluginHost.Kind))} components the manifest does not declare.");
            }

            var twice = components.GroupBy(c => (c.Kind, c.Id)).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
            {
                throw Incompatible($"Two {PluginHost.Kind(twice.Key.Kind)} classes use the id '{twice.Key.Id}'.");
            }

            Components = components;
        }

        private async Task<ComponentInfo> DescribeAsync(Type type, ComponentAttribute attribute, TimeSpan constructorTimeout)
        {
            var contract = attribute.Kind switch
            {
                PluginKind.Connector => typeof(IConnector),
                PluginKind.Transform => typeof(ITransform),
                PluginKind.QualityCheck => typeof(IQualityCheck),
                _ => typeof(IDataApp),
            };
            if (!contract.IsAssignableFrom(type))
            {
                throw Incompatible($"{type.FullName} is marked as a {PluginHost.Kind(attribute.Kind)} but does not implement {contract.Name} (built against another SDK?).");
            }

            if (type.IsAbstract || !type.IsPublic || type.GetConstructor(Type.EmptyTypes) is null)
            {
                throw Incompatible($"{type.FullName} must be a public, non-abstract class with a public parameterless constructor.");
            }

            if (!System.Text.RegularExpressions.Regex.IsMatch(attribute.Id, "^[a-z0-9][a-z0-9._-]{0,63}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant))
            {
                throw Incompatible($"The id '{attribute.Id}' of {type.FullName} is not valid (lower case letters, digits, '.', '_' or '-').");
            }

            object instance;
            try
            {
                instance = await Task.Run(() => Activator.CreateInstance(type)!).WaitAsync(constructorTimeout);
            }
            catch (TimeoutException)
            {
                throw new PluginLoadException($"The constructor of {type.FullName} did not return within {constructorTimeout.TotalSeconds:0} s.");
            }
            catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
            {
                throw new PluginLoadException($"The constructor of {type.FullName} threw {inner.GetType().Name}: {inner.Message}");
            }
            catch (Exception ex) when (ex is MissingMethodException or MemberAccessException or TypeLoadException)
            {
                throw new PluginLoadException($"{type.FullName} could not be created: {ex.GetType().Name}: {ex.Message}");
            }

            var optionsType = instance switch
            {
                IConnector c => c.OptionsType,
                ITransform t => t.OptionsType,
                IQualityCheck q => q.OptionsType,
                _ => null,
            };

            System.Text.Json.Nodes.JsonObject? schema = null;
            IReadOnlyList<string> secrets = [];
            if (optionsType is not null)
            {
                try
                {
                    secrets = OptionsSchema.SecretPaths(optionsType);
                    schema = OptionsSchema.Generate(optionsType);
                }
                catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException)
                {
                    throw Incompatible($"The options of {type.FullName} cannot be described: {ex.Message}");
                }
            }

            _instances[(attribute.Kind, attribute.Id)] = instance;
            return new ComponentInfo(attribute.Kind, attribute.Id, attribute.DisplayName ?? attribute.Id, attribute.Description, attribute.Category, attribute.Icon,
                Id, Version.ToNormalizedString(), schema, secrets);
        }

        public void DetachForUnload()
        {
            PendingUnload = Loader;
            Loader = null;
            Components = [];
        }

        public void CompletePendingUnload()
        {
            _instances.Clear();
            PendingUnload?.Dispose();
            PendingUnload = null;
        }

        public void Unload()
        {
            _instances.Clear();
            Components = [];
            Loader?.Dispose();
            Loader = null;
        }

        public PluginInfo ToInfo() => new(
            Id, Version.ToNormalizedString(), Manifest?.Kinds ?? [], Status, Reason, Source, Manifest?.DisplayName ?? Id,
            Manifest?.Description, Manifest?.Category, Manifest?.Icon, Manifest?.SdkRange.ToNormalizedString(), Components);
    }
}

/// <summary>A component borrowed for one operation; dispose it when the operation ends (and do not keep it).</summary>
public sealed class ComponentLease(ComponentInfo component, PluginManifest plugin, object instance, Action release) : IDisposable
{
    private int _released;

    public ComponentInfo Component { get; } = component;

    public PluginManifest Plugin { get; } = plugin;

    public object Instance { get; } = instance;

    /// <summary>The component's options class, or null for a component without options.</summary>
    public Type? OptionsType => Instance switch
    {
        IConnector c => c.OptionsType,
        ITransform t => t.OptionsType,
        IQualityCheck q => q.OptionsType,
        _ => null,
    };

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            release();
        }
    }
}
