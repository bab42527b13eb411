using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ratatouille.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ratatouille.Browser.Tests;

/// <summary>First-run setup, sign-in and sign-out, and what a viewer may not do, as users see them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SecurityTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task FreshServer_SendsToSetup_CreatesFirstAdmin_AndArrivesSignedIn()
    {
        // Its own server without the environment's administrator: nobody exists yet.
        var dataDirectory = RepositoryPaths.NewTempFolder("browser-setup");
        await using var server = await ServerProcess.StartAsync(dataDirectory, createAdmin: false);
        await using var ui = await UiSession.StartAsync(fixture.Browser, server.BaseAddress, output, user: null);
        var page = ui.Page;

        await page.GotoAsync(ui.Url("/"));
        await Expect(page).ToHaveURLAsync(ui.Url("/setup"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Welcome");

        // A typo in the confirmation is refused with a message, and nothing is created.
        await page.Locator("#setup-username").FillAsync("founder");
        await page.Locator("#setup-password").FillAsync("correct-horse-battery");
        await page.Locator("#setup-confirm").FillAsync("correct-horse-batery");
        await page.Locator("#btn-setup").ClickAsync();
        await Expect(page.Locator("#setup-error")).ToHaveTextAsync("The two passwords differ.");

        await page.Locator("#setup-username").FillAsync("founder");
        await page.Locator("#setup-password").FillAsync("correct-horse-battery");
        await page.Locator("#setup-confirm").FillAsync("correct-horse-battery");
        await page.Locator("#btn-setup").ClickAsync();

        // Signed in on Home, as an administrator.
        await Expect(page).ToHaveURLAsync(ui.Url("/"));
        await page.WaitForSelectorAsync("#blazor-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("#header-username")).ToHaveTextAsync("founder");
        await Expect(page.Locator("#header-role")).ToHaveTextAsync("admin");
        await Expect(page.Locator("#home-empty")).ToContainTextAsync("No datasets yet");
        // FluentNav renders its items twice (page and mobile drawer): count the visible one.
        await Expect(page.Locator("#nav-admin-users:visible")).ToHaveCountAsync(1);

        // Setup happens once.
        await page.GotoAsync(ui.Url("/setup"));
        await Expect(page.Locator("#setup-done")).ToContainTextAsync("An administrator exists already");
        Assert.Empty(ui.Errors);
        TryDelete(dataDirectory);
    }

    [Fact]
    public async Task Login_WrongPasswordShowsError_ReturnsToRequestedPage_AndSignOutLocksPagesAgain()
    {
        await using var ui = await UiSession.StartAsync(fixture, output, user: null);
        var page = ui.Page;

        // A protected page sends an anonymous visitor to the login page, remembering where they were going.
        await page.GotoAsync(ui.Url("/sql"));
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?returnUrl=%2Fsql$", RegexOptions.IgnoreCase));

        await ui.FillSignInAsync(ServerProcess.AdminUser, "not-the-password");
        await Expect(page.Locator("#login-error")).ToHaveTextAsync("Invalid username or password.");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?"));

        await ui.FillSignInAsync(ServerProcess.AdminUser, ServerProcess.AdminPassword);
        await Expect(page).ToHaveURLAsync(ui.Url("/sql"));
        await page.WaitForSelectorAsync("#blazor-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("#header-username")).ToHaveTextAsync(ServerProcess.AdminUser);

        // Sign out from the header: back on the login page, and protected pages are closed again.
        await page.Locator("#btn-signout").ClickAsync();
        await Expect(page).ToHaveURLAsync(ui.Url("/login"));
        await page.GotoAsync(ui.Url("/catalog"));
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?returnUrl=%2Fcatalog$", RegexOptions.IgnoreCase));
        await Expect(page.Locator("#login-form")).ToBeVisibleAsync();
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task Viewer_SeesCatalog_ButCannotUploadDeleteOrAdminister()
    {
        var admin = await fixture.AdminClientAsync();
        using (var created = await admin.PostAsJsonAsync("/api/v1/users", new { username = "vera", password = "viewer-password-1", role = "viewer" }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("id,label\n1,a\n2,b\n")), "file", "seen.csv");
            using var uploaded = await admin.PostAsync("/api/v1/datasets/bronze/seen/upload", form);
            Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        }

        await using var ui = await UiSession.StartAsync(fixture, output, "vera", "viewer-password-1");
        var page = ui.Page;
        await Expect(page.Locator("#header-role")).ToHaveTextAsync("viewer");
        await Expect(page.Locator("[data-testid='dataset-link-bronze.seen']")).ToBeVisibleAsync();
        await Expect(page.Locator("#btn-home-upload")).ToHaveCountAsync(0);
        await Expect(page.Locator("#nav-admin-users")).ToHaveCountAsync(0);

        // The dataset reads as usual, without the buttons that change it.
        await ui.GoToAsync("/catalog/bronze/seen");
        await Expect(page.Locator("#dataset-title")).ToHaveTextAsync("bronze.seen");
        await Expect(page.Locator("#preview-range")).ToHaveTextAsync("Rows 1–2 of 2");
        await Expect(page.Locator("#btn-delete-dataset")).ToHaveCountAsync(0);
        await Expect(page.Locator("#upload-panel")).ToHaveCountAsync(0);
        await Expect(page.Locator("#catalog-upload-link")).ToHaveCountAsync(0);

        await ui.GoToAsync("/catalog");
        await Expect(page.Locator("#catalog-browse-title")).ToBeVisibleAsync();
        await Expect(page.Locator("#upload-panel")).ToHaveCountAsync(0);

        // The upload route, typed in the address bar and reached inside the app, says what is missing.
        await page.GotoAsync(ui.Url("/catalog/upload"));
        await Expect(page.Locator("#not-allowed")).ToContainTextAsync("You need the editor role");
        await Expect(page.Locator("#upload-panel")).ToHaveCountAsync(0);
        await ui.GoToAsync("/");
        await page.EvaluateAsync("() => Blazor.navigateTo('/catalog/upload')");
        await Expect(page.Locator("#not-allowed")).ToContainTextAsync("You need the editor role");
        await Expect(page.Locator("#upload-panel")).ToHaveCountAsync(0);

        await page.GotoAsync(ui.Url("/admin/users"));
        await Expect(page.Locator("#not-allowed")).ToContainTextAsync("You need the admin role");
        await Expect(page.Locator("#users-table")).ToHaveCountAsync(0);
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task Admin_CreatesKeyShownOnce_ManagesUsersAndSecrets_AndReadsTheAudit()
    {
        await using var ui = await UiSession.StartAsync(fixture, output);
        var page = ui.Page;

        // My account: a new API key is shown once, listed by prefix, and can be revoked behind a confirmation.
        await ui.GoToAsync("/account");
        await page.Locator("#key-name input").FillAsync("nightly export");
        await ClickWhenEnabledAsync(page, "#btn-create-key");
        var key = await page.Locator("#new-key-value").InputValueAsync();
        Assert.StartsWith("rat_", key, StringComparison.Ordinal);
        var row = page.Locator("#apikeys-table tbody tr", new PageLocatorOptions { HasText = "nightly export" });
        await Expect(row).ToContainTextAsync(key[..12]);
        await Expect(row).ToContainTextAsync("active");
        await row.Locator("fluent-button", new LocatorLocatorOptions { HasText = "Revoke" }).ClickAsync();
        await page.Locator("fluent-dialog fluent-button", new PageLocatorOptions { HasText = "Revoke" }).ClickAsync();
        await Expect(row).ToContainTextAsync("revoked");

        // Users: add one, disable them; the last administrator cannot be deleted, and the page says why.
        await ui.GoToAsync("/admin/users");
        await page.Locator("#new-username input").FillAsync("eddie");
        await page.Locator("#new-password input").FillAsync("editor-password-1");
        await ClickWhenEnabledAsync(page, "#btn-create-user");
        await Expect(page.Locator("#users-info")).ToContainTextAsync("eddie was added as viewer.");
        await page.Locator("#btn-toggle-eddie").ClickAsync();
        await Expect(page.Locator("[data-testid='user-eddie']")).ToContainTextAsync("disabled");
        await page.Locator($"#btn-delete-{ServerProcess.AdminUser}").ClickAsync();
        await page.Locator("fluent-dialog fluent-button", new PageLocatorOptions { HasText = "Delete" }).ClickAsync();
        await Expect(page.Locator("#users-error")).ToContainTextAsync("last enabled administrator");

        // Secrets: stored and listed with a mask; the value never comes back to the page.
        await ui.GoToAsync("/admin/secrets");
        await page.Locator("#secret-name input").FillAsync("warehouse-password");
        await page.Locator("#secret-value input").FillAsync("s3cr3t-value-xyz");
        await ClickWhenEnabledAsync(page, "#btn-set-secret");
        await Expect(page.Locator("[data-testid='secret-warehouse-password']")).ToContainTextAsync("••••");
        Assert.DoesNotContain("s3cr3t-value-xyz", await page.ContentAsync(), StringComparison.Ordinal);

        // The audit log shows all of it, newest first, and filters by action.
        await ui.GoToAsync("/admin/audit");
        await page.Locator("#audit-action input").FillAsync("apikey.");
        await page.Locator("#btn-audit-apply").ClickAsync();
        await Expect(page.Locator("#audit-table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#audit-table tbody tr").First).ToContainTextAsync("apikey.revoke");
        await page.Locator("#btn-audit-clear").ClickAsync();
        await Expect(page.Locator("#audit-table")).ToContainTextAsync("secret.create");
        await Expect(page.Locator("#audit-table")).ToContainTextAsync("user.create");
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task Admin_SeesEveryUsersKeys_AndRevokesOne()
    {
        var admin = await fixture.AdminClientAsync();
        using (var created = await admin.PostAsJsonAsync("/api/v1/users", new { username = "kim", password = "editor-password-kim", role = "editor" }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        string key;
        using (var kim = await fixture.Server.CreateClientAsync("kim", "editor-password-kim"))
        using (var minted = await kim.PostAsJsonAsync("/api/v1/api-keys", new { name = "kim laptop sync" }))
        {
            Assert.True(minted.IsSuccessStatusCode, await minted.Content.ReadAsStringAsync());
            key = (await minted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("key").GetString()!;
        }

        await using var ui = await UiSession.StartAsync(fixture, output);
        var page = ui.Page;
        await page.Locator("#nav-admin-api-keys:visible").ClickAsync();
        await Expect(page).ToHaveURLAsync(ui.Url("/admin/api-keys"));
        await page.Locator("#keys-filter input").FillAsync("kim");
        var row = page.Locator("#apikeys-table tbody tr", new PageLocatorOptions { HasText = "kim laptop sync" });
        await Expect(row).ToContainTextAsync("kim");
        await Expect(row).ToContainTextAsync(key[..12]);
        await Expect(row).ToContainTextAsync("active");
        await row.Locator("fluent-button", new LocatorLocatorOptions { HasText = "Revoke" }).ClickAsync();
        await Expect(page.Locator("fluent-dialog")).ToContainTextAsync("of kim");
        await page.Locator("fluent-dialog fluent-button", new PageLocatorOptions { HasText = "Revoke" }).ClickAsync();
        await Expect(row).ToContainTextAsync("revoked");

        // The key no longer opens the API.
        using var probe = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        probe.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var refused = await probe.GetAsync("/api/v1/datasets");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(ui.Errors);
    }

    /// <summary>
    /// Typed text reaches the circuit a moment later, and only then does the button enable itself;
    /// Playwright does not see a fluent-button's disabled state, so wait for it here.
    /// </summary>
    private static async Task ClickWhenEnabledAsync(IPage page, string selector)
    {
        await Expect(page.Locator(selector + ":not([disabled])")).ToHaveCountAsync(1);
        await page.Locator(selector).ClickAsync();
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying server: the temp folder is cleaned by the OS.
        }
    }
}
