using Microsoft.Playwright;
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

    /// <summary>Uncaught script errors seen so far (a crashed circuit shows up here).</summary>
    public IReadOnlyList<string> Errors => _errors;

    public static async Task<UiSession> StartAsync(BrowserFixture fixture, ITestOutputHelper output)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        // The box has two cores and the server shares them: allow for slow first renders.
        context.SetDefaultTimeout(20_000);
        Assertions.SetDefaultExpectTimeout(20_000);
        var page = await context.NewPageAsync();
        var session = new UiSession(context, page, fixture.Server.BaseAddress);
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
        };
        return session;
    }

    /// <summary>Opens <paramref name="path"/> and waits until the Blazor circuit is interactive (clicks before that are lost).</summary>
    public async Task GoToAsync(string path)
    {
        await Page.GotoAsync(new Uri(BaseAddress, path).ToString());
        await Page.WaitForSelectorAsync("#blazor-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
