using Microsoft.Playwright;
using Ratatouille.Testing;

namespace Ratatouille.Browser.Tests;

/// <summary>
/// One real server process (its own empty data directory) and one headless Chromium for the class:
/// starting them is most of a browser test's cost. Each test gets its own browser context.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public ServerProcess Server { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public string DataDirectory { get; } = RepositoryPaths.NewTempFolder("browser");

    private HttpClient? _admin;

    /// <summary>
    /// One API client signed in as the environment's administrator, shared by the class's tests:
    /// sign-ins are rate-limited per address, and seeding data is not what the tests are about.
    /// </summary>
    public async Task<HttpClient> AdminClientAsync() => _admin ??= await Server.CreateClientAsync();

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium).");
        }

        // The server creates its first administrator (ServerProcess.AdminUser) from the environment.
        Server = await ServerProcess.StartAsync(DataDirectory);
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
        _admin?.Dispose();
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying server: the temp folder is cleaned by the OS.
        }
    }
}
