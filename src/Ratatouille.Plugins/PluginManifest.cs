using System.Text.Json;
using System.Text.RegularExpressions;
using NuGet.Versioning;
using Ratatouille.Sdk;

namespace Ratatouille.Plugins;

/// <summary>A plugin's <c>ratatouille-plugin.json</c>, validated.</summary>
public sealed partial record PluginManifest(
    string Id,
    NuGetVersion Version,
    IReadOnlyList<PluginKind> Kinds,
    VersionRange SdkRange,
    string Assembly,
    string DisplayName,
    string? Description,
    string? Category,
    string? Icon)
{
    /// <summary>Reads and validates the manifest in <paramref name="folder"/>.</summary>
    /// <exception cref="PluginLoadException">Missing, unreadable or invalid manifest.</exception>
    public static PluginManifest Read(string folder)
    {
        var path = Path.Combine(folder, SdkInfo.ManifestFileName);
        Raw raw;
        try
        {
            raw = JsonSerializer.Deserialize<Raw>(File.ReadAllText(path), JsonOptions) ?? throw new JsonException("empty manifest");
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw PluginHost.Incompatible($"The manifest {SdkInfo.ManifestFileName} cannot be read: {ex.Message}");
        }

        if (raw.Id is null || !IdPattern().IsMatch(raw.Id))
        {
            throw PluginHost.Incompatible($"The manifest id '{raw.Id}' is not valid (lower case letters, digits, '.', '_' or '-', at most 64).");
        }

        if (!NuGetVersion.TryParse(raw.Version, out var version))
        {
            throw PluginHost.Incompatible($"The manifest version '{raw.Version}' is not a semantic version.");
        }

        if (!VersionRange.TryParse(raw.Sdk ?? "", out var range))
        {
            throw PluginHost.Incompatible($"The manifest's SDK range '{raw.Sdk}' is not a version range (e.g. \"[1.0.0, 2.0.0)\").");
        }

        var kinds = new List<PluginKind>();
        foreach (var kind in raw.Kinds ?? [])
        {
            kinds.Add(kind.ToLowerInvariant() switch
            {
                "connector" => PluginKind.Connector,
                "transform" => PluginKind.Transform,
                "qualitycheck" or "quality-check" => PluginKind.QualityCheck,
                "dataapp" or "data-app" => PluginKind.DataApp,
                _ => throw PluginHost.Incompatible($"The manifest names an unknown kind '{kind}' (connector, transform, qualitycheck, dataapp)."),
            });
        }

        if (kinds.Count == 0)
        {
            throw PluginHost.Incompatible("The manifest names no kinds.");
        }

        if (string.IsNullOrEmpty(raw.Assembly) || raw.Assembly.Contains('/', StringComparison.Ordinal) || raw.Assembly.Contains('\\', StringComparison.Ordinal)
            || !raw.Assembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            throw PluginHost.Incompatible($"The manifest's assembly '{raw.Assembly}' must be a .dll file name in the plugin folder.");
        }

        return new PluginManifest(raw.Id, version, kinds, range, raw.Assembly, string.IsNullOrWhiteSpace(raw.DisplayName) ? raw.Id : raw.DisplayName,
            Empty(raw.Description), Empty(raw.Category), Empty(raw.Icon));
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    private sealed record Raw(string? Id, string? Version, List<string>? Kinds, string? Sdk, string? Assembly, string? DisplayName, string? Description, string? Category, string? Icon);
}
