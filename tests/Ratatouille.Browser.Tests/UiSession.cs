using Microsoft.Playwright;
using Ratatouille.Testing;
using Xunit.Abstractions;

namespace Ratatouille.Browser.Tests;

/// <summary>A fresh browser context and page on the fixture's server, with the page's errors echoed to the test output.</summary>
public sealed class UiSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    private UiSession(IBrowserContext context, IPage page, Uri baseAddress)
    {
        _context = context;
        Page = page;
        BaseAddress = baseAddress;
    }

    public IPage Page { get; }

    public Uri BaseAddress { get; }

    /// <summary>Uncaught script errors and Content-Security-Policy violations seen so far (a crashed circuit shows up here).</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>
    /// A new context signed in through the login page as <paramref name="user"/> (the server's
    /// environment administrator by default), or not signed in at all when <paramref name="user"/> is null.
    /// </summary>
    public static async Task<UiSession> StartAsync(
        BrowserFixture fixture, ITestOutputHelper output, string? user = ServerProcess.AdminUser, string password = ServerProcess.AdminPassword) =>
        await StartAsync(fixture.Browser, fixture.Server.BaseAddress, output, user, password);

    public static async Task<UiSession> StartAsync(IBrowser browser, Uri baseAddress, ITestOutputHelper output, string? user, string password = "")
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        // The box has two cores and the server shares them: allow for slow first renders.
        context.SetDefaultTimeout(20_000);
        Assertions.SetDefaultExpectTimeout(20_000);
        var page = await context.NewPageAsync();
        var session = new UiSession(context, page, baseAddress);
        page.PageError += (_, message) =>
        {
            session._errors.Add(message);
            output.WriteLine("page error: " + message);
        };
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                output.WriteLine($"console {message.Type}: {message.Text}");
            }

            // The UI must work under the server's CSP (no inline scripts, no eval): a violation is a bug.
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                session._errors.Add(message.Text);
            }
        };

        if (user is not null)
        {
            await session.SignInAsync(user, password);
        }

        return session;
    }

    /// <summary>Signs in through the login page, as a user would, and waits for the interactive Home page.</summary>
    public async Task SignInAsync(string user, string password)
    {
        await Page.GotoAsync(new Uri(BaseAddress, "/login").ToString());
        await FillSignInAsync(user, password);
        await Page.WaitForSelectorAsync("#blazor-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
    }

    /// <summary>Fills and posts the login form already on screen.</summary>
    public async Task FillSignInAsync(string user, string password)
    {
        await Page.Locator("#login-username").FillAsync(user);
        await Page.Locator("#login-password").FillAsync(password);
        await Page.Locator("#btn-login").ClickAsync();
    }

    /// <summary>Opens <paramref name="path"/> and waits until the Blazor circuit is interactive (clicks before that are lost).</summary>
    public async Task GoToAsync(string path)
    {
        await Page.GotoAsync(new Uri(BaseAddress, path).ToString());
        await Page.WaitForSelectorAsync("#blazor-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
    }

    /// <summary>
    /// Chooses <paramref name="file"/> in the upload panel and waits until the circuit has taken it
    /// (the Upload button stays disabled until then, and a click on it before that is lost).
    /// </summary>
    public async Task ChooseUploadFileAsync(FilePayload file)
    {
        await Page.Locator("#upload-file").SetInputFilesAsync(file);
        await Assertions.Expect(Page.Locator("#upload-file-info")).ToContainTextAsync(file.Name);
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
