using Microsoft.Playwright;
using Ratatouille.Testing;

namespace Ratatouille.Browser.Tests;

/// <summary>
/// Like <see cref="BrowserFixture"/>, but the server has an import folder opened (<c>Plugins:ImportRoots:0</c>)
/// holding a small CSV, so the built-in Files connector has something to read.
/// </summary>
public sealed class ConnectionsFixture : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The file in the import folder, relative to it (what a Files connection's path names).</summary>
    public const string CsvFile = "people.csv";

    public const string Csv = "id,name,score\n1,Ada,9.5\n2,Grace,8\n3,Linus,7.25\n";

    private IPlaywright? _playwright;

    public ServerProcess Server { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public string DataDirectory { get; } = RepositoryPaths.NewTempFolder("browser-connections");

    public string ImportRoot { get; } = RepositoryPaths.NewTempFolder("browser-import");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium).");
        }

        await File.WriteAllTextAsync(Path.Combine(ImportRoot, CsvFile), Csv);
        Server = await ServerProcess.StartAsync(DataDirectory, new Dictionary<string, string>
        {
            ["RATATOUILLE__Plugins__ImportRoots__0"] = ImportRoot,
        });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        foreach (var folder in new[] { DataDirectory, ImportRoot })
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by the dying server: the temp folder is cleaned by the OS.
            }
        }
    }
}
