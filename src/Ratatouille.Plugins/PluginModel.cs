using System.Text.Json.Nodes;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins;

/// <summary>Where a plugin came from.</summary>
public enum PluginSource
{
    /// <summary>Ships with the server.</summary>
    BuiltIn,

    /// <summary>Installed into the data directory (marketplace or by hand).</summary>
    Installed,
}

/// <summary>The state of one plugin version.</summary>
public enum PluginStatus
{
    /// <summary>Loaded and offered for new connections and steps.</summary>
    Active,

    /// <summary>Turned off by an administrator; not loaded.</summary>
    Disabled,

    /// <summary>Refused before activation: wrong SDK range, broken manifest, contract not implemented.</summary>
    Incompatible,

    /// <summary>Threw or failed while loading.</summary>
    Faulted,

    /// <summary>Loaded, but a newer version of the same plugin is active: only what pins this version uses it.</summary>
    Superseded,
}

/// <summary>
/// A component (connector, transform, quality check, data app) a plugin provides. Plain data on purpose:
/// holding it never keeps a plugin's types (and so an unloaded plugin) in memory — the types and the
/// instance are reached through a <see cref="ComponentLease"/> only.
/// </summary>
public sealed record ComponentInfo(
    PluginKind Kind,
    string Id,
    string DisplayName,
    string? Description,
    string? Category,
    string? Icon,
    string PluginId,
    string PluginVersion,
    JsonObject? OptionsSchema,
    IReadOnlyList<string> SecretPaths);

/// <summary>One plugin version as the host sees it.</summary>
public sealed record PluginInfo(
    string Id,
    string Version,
    IReadOnlyList<PluginKind> Kinds,
    PluginStatus Status,
    string? Reason,
    PluginSource Source,
    string DisplayName,
    string? Description,
    string? Category,
    string? Icon,
    string? SdkRange,
    IReadOnlyList<ComponentInfo> Components);
