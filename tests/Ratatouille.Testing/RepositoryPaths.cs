namespace Ratatouille.Testing;

/// <summary>Finds the repository and the things the test command installs under <c>.tools/</c>.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ratatouille.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find Ratatouille.sln above " + AppContext.BaseDirectory);
    });

    public static string Root => RootLazy.Value;

    /// <summary><c>Debug</c> or <c>Release</c>, as the running test assembly was built.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar).Contains("Release") ? "Release" : "Debug";

    public static string ServerDll => Path.Combine(Root, "src", "Ratatouille.Server", "bin", Configuration, "net10.0", "Ratatouille.Server.dll");

    public static string NodeModules => Path.Combine(Root, ".tools", "node_modules");

    /// <summary>A file installed by the test command, or a clear failure saying how to get it.</summary>
    public static string Tool(params string[] relative)
    {
        var path = Path.Combine([NodeModules, .. relative]);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"'{path}' is missing: run ./test.sh, which installs the test tools into .tools/.");
        }

        return path;
    }

    /// <summary>The built fixture plugin <paramref name="id"/> <paramref name="version"/> (tests/Fixtures, laid out under artifacts/test-plugins).</summary>
    public static string TestPlugin(string id, string version)
    {
        var path = Path.Combine(Root, "artifacts", "test-plugins", Configuration, id, version);
        return Directory.Exists(path)
            ? path
            : throw new InvalidOperationException($"Fixture plugin '{path}' is missing: build the solution (tests/Fixtures are built with it).");
    }

    /// <summary>Copies a fixture plugin into <c>&lt;dataRoot&gt;/plugins/&lt;id&gt;/&lt;version&gt;/</c>, as an installed plugin.</summary>
    public static string InstallTestPlugin(string dataRoot, string id, string version)
    {
        var source = TestPlugin(id, version);
        var target = Path.Combine(dataRoot, "plugins", id, version);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }

        return target;
    }

    /// <summary>A fresh, empty folder for one test.</summary>
    public static string NewTempFolder(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), "ratatouille-tests", prefix + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }
}
