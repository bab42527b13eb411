namespace Ratatouille.Sdk;

/// <summary>Facts about this SDK build that plugins and the host compare.</summary>
public static class SdkInfo
{
    /// <summary>The semantic version of the plugin contract (equal to the package version).</summary>
    public const string Version = "1.0.0";

    /// <summary>The name of the manifest file every plugin ships next to its assembly.</summary>
    public const string ManifestFileName = "ratatouille-plugin.json";
}
