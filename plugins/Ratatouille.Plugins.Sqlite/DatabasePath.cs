using Ratatouille.Sdk;

namespace Ratatouille.Plugins.Sqlite;

/// <summary>
/// Confines the database file to the import roots: the configured path is resolved to its real location
/// (every symbolic link along it followed) and must lie inside the real location of a root. The resolved
/// path is what gets opened, so what was checked is what is read.
/// </summary>
internal static class DatabasePath
{
    private const int MaxLinkDepth = 32;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>The real path of the database file.</summary>
    /// <exception cref="PluginException">No import root is configured, the path leaves every root, or the file does not exist.</exception>
    public static string Resolve(string configured, IReadOnlyList<string> importRoots)
    {
        var roots = importRoots.Where(r => !string.IsNullOrWhiteSpace(r)).ToList();
        if (roots.Count == 0)
        {
            throw new PluginException("No import folder is configured on this server, and SQLite files are only opened inside one: " +
                "an administrator sets Plugins:ImportRoots (e.g. RATATOUILLE__Plugins__ImportRoots__0=/srv/import).");
        }

        if (string.IsNullOrWhiteSpace(configured) || configured.Any(char.IsControl))
        {
            throw new PluginException("The database file path is empty or contains control characters.");
        }

        var realRoots = roots.Select(r => Path.TrimEndingDirectorySeparator(RealPath(r))).ToList();
        var candidates = Path.IsPathRooted(configured) ? [configured] : roots.Select(r => Path.Combine(r, configured)).ToList();
        string? missing = null;
        foreach (var candidate in candidates)
        {
            string real;
            try
            {
                real = RealPath(candidate);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new PluginException($"The database file '{configured}' cannot be resolved: {ex.Message}", ex);
            }

            if (!realRoots.Any(root => IsInside(real, root)))
            {
                continue;
            }

            if (File.Exists(real))
            {
                return real;
            }

            missing ??= candidate;
        }

        return missing is not null
            ? throw new PluginException($"The database file '{configured}' does not exist in the import folders ({string.Join(", ", roots)}).")
            : throw new PluginException($"'{configured}' is outside the import folders this server opened ({string.Join(", ", roots)}); " +
                "SQLite files are only read from there ('..' and links that lead out of them are refused).");
    }

    private static bool IsInside(string path, string root) =>
        path.Equals(root, PathComparison) || path.StartsWith(root + Path.DirectorySeparatorChar, PathComparison);

    /// <summary>The absolute path with every symbolic link along it resolved (as far as the path exists).</summary>
    internal static string RealPath(string path, int depth = 0)
    {
        if (depth > MaxLinkDepth)
        {
            throw new IOException($"Too many levels of symbolic links in '{path}'.");
        }

        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                // Relative targets are relative to the link's folder; the target may itself pass through links.
                next = RealPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target), depth + 1);
            }

            current = next;
        }

        return current;
    }
}
