using System.ComponentModel.DataAnnotations;

namespace Ratatouille.Plugins;

/// <summary>Configuration section <c>Plugins</c>.</summary>
public sealed class PluginOptions
{
    public const string Section = "Plugins";

    /// <summary>Where the plugins that ship with the server are (default: <c>plugins/</c> next to the server's assemblies).</summary>
    public string? BuiltInFolder { get; set; }

    /// <summary>
    /// Server folders plugins may read files from (the Files and SQLite connectors). Empty: none —
    /// an administrator opens folders deliberately.
    /// </summary>
    public List<string> ImportRoots { get; set; } = [];

    /// <summary>How long a connection check or a discovery may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest wait for the next batch during an extract before it fails.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReadIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Where the HTTP client plugins get may connect (<see cref="NetworkPolicy"/>).</summary>
    public PluginNetworkOptions Network { get; set; } = new();

    /// <summary>Administrator settings handed to plugins: plugin id → key → value.</summary>
    public Dictionary<string, Dictionary<string, string>> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
